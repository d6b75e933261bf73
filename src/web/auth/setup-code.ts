import { randomInt } from 'node:crypto';

// Crockford base32: no I, L, O or U, so the code reads aloud and copies from a label safely.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 16 characters (80 bits) in groups of four: `7K2Q-M9XD-4TRB-HW3N`. */
export function newSetupCode(): string {
  let code = '';
  for (let i = 0; i < 16; i++) {
    if (i > 0 && i % 4 === 0) code += '-';
    code += ALPHABET[randomInt(ALPHABET.length)];
  }
  return code;
}

/** What the person meant: case, spaces and dashes do not matter; O is 0 and I or L is 1. */
export function normaliseSetupCode(input: string): string {
  const plain = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return plain.replace(/(.{4})(?=.)/g, '$1-');
}
