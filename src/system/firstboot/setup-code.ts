import { randomBytes, randomInt, scryptSync, timingSafeEqual } from 'node:crypto';
import { FirstbootError } from './firstboot-errors.js';

/** Crockford's base32: no I, L, O or U, so a code read off a screen cannot be mistyped as another. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 10 symbols: 50 bits, far beyond what the web page's rate limit lets anyone guess. */
const LENGTH = 10;
/** scrypt cost: about 0.1 s on a Pi 4, so a stolen state directory does not give the code away quickly. */
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;

/** What is stored: never the code itself. */
export interface SetupCodeRecord {
  version: 1;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
  issuedAt: string;
}

/** A fresh code, shown as two groups of five: "7KQ2M-X9D4A". */
export function newSetupCode(pick: (n: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[pick(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** What a person typed, the way Crockford decoding reads it: case, dashes and O/I/L forgiven. */
export function normalizeSetupCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

function derive(code: string, salt: Buffer, record: Pick<SetupCodeRecord, 'N' | 'r' | 'p'>) {
  return scryptSync(normalizeSetupCode(code), salt, SCRYPT.keyLength, {
    N: record.N,
    r: record.r,
    p: record.p,
  });
}

export function hashSetupCode(code: string, issuedAt: Date): SetupCodeRecord {
  const salt = randomBytes(16);
  const params = { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p };
  return {
    version: 1,
    kdf: 'scrypt',
    ...params,
    salt: salt.toString('hex'),
    hash: derive(code, salt, params).toString('hex'),
    issuedAt: issuedAt.toISOString(),
  };
}

/** For the web page's first-login form: whether a typed code matches the stored hash. */
export function setupCodeMatches(typed: string, record: SetupCodeRecord): boolean {
  if (normalizeSetupCode(typed).length !== LENGTH) return false;
  const expected = Buffer.from(record.hash, 'hex');
  const actual = derive(typed, Buffer.from(record.salt, 'hex'), record);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function parseSetupCodeRecord(text: string, file: string): SetupCodeRecord {
  try {
    const record = JSON.parse(text) as SetupCodeRecord;
    if (record.version === 1 && record.kdf === 'scrypt' && /^[0-9a-f]{64}$/.test(record.hash)) {
      return record;
    }
  } catch {
    // Reported below with the file name.
  }
  throw new FirstbootError(
    'SETUP_CODE_CORRUPT',
    `setup code record ${file} is damaged; issue a new code with "linekeeper firstboot --new-setup-code"`,
  );
}
