import { createHmac } from 'node:crypto';
import type { PseudonymousCaller } from '../call/call-record.js';
import type { CallerId } from '../line/line-port.js';

/**
 * Turns a caller's number into a keyed hash plus its last two digits. The same number always
 * gives the same hash on this device (so repeat callers can be counted and data-subject requests
 * answered), but without the device secret the hash cannot be reversed by trying all numbers.
 */
export class CallerPseudonymizer {
  readonly #secret: Buffer;

  constructor(secret: Buffer) {
    if (secret.length < 32) throw new Error('device secret must be at least 32 bytes');
    this.#secret = secret;
  }

  pseudonymize(callerId: CallerId | null): PseudonymousCaller {
    const digits = normalizeNumber(callerId?.number);
    if (!digits) {
      return { hash: null, hint: null, withheld: callerId?.withheld ?? 'unavailable' };
    }
    return { hash: this.hashNumber(digits), hint: digits.slice(-2), withheld: null };
  }

  /** 128 bits of HMAC-SHA-256, hex: short enough for a table, far beyond brute force. */
  hashNumber(number: string): string {
    const digits = normalizeNumber(number) ?? number;
    return createHmac('sha256', this.#secret).update(digits).digest('hex').slice(0, 32);
  }
}

/**
 * Digits only, with a leading + kept, so "+1 (555) 010-0199" and "+15550100199" hash alike.
 * Returns null when there is no usable number.
 */
export function normalizeNumber(raw: string | undefined): string | null {
  if (!raw) return null;
  const plus = raw.trim().startsWith('+') ? '+' : '';
  const digits = raw.replace(/\D/g, '');
  return digits.length >= 2 ? plus + digits : null;
}
