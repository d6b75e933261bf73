import { normalizeNumber } from '../../privacy/caller-pseudonymizer.js';

/** How many trailing digits an admin types to confirm an erasure. */
export const CONFIRM_DIGITS = 4;

/**
 * A number typed into the privacy form, checked more strictly than the domain's normaliser
 * (which keeps any digits it finds): a typo such as a letter or a second number pasted in must
 * be refused with a message, not silently hashed into a request about nobody.
 */
export function parseSubjectNumber(raw: string): { number: string; digits: string } | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > 40) return null;
  if (!/^\+?[0-9 ()./-]+$/.test(text)) return null;
  const number = normalizeNumber(text);
  const digits = text.replace(/\D/g, '');
  if (!number || digits.length < 3 || digits.length > 17) return null;
  return { number, digits };
}

/** The digits the admin must type back: the last four, or all of a shorter number. */
export function confirmationLength(digits: string): number {
  return Math.min(CONFIRM_DIGITS, digits.length);
}

export function confirms(digits: string, typed: string): boolean {
  const wanted = digits.slice(-confirmationLength(digits));
  return typed.replace(/\s/g, '') === wanted;
}
