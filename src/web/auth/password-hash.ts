import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** N = 2^15, r = 8: 32 MiB and about 0.1-0.3 s per hash on a Pi 4; a guess costs the same. */
const COST_LOG2 = 15;
const BLOCK_SIZE = 8;
const PARALLEL = 1;
const KEY_BYTES = 32;

function scryptAsync(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function options(costLog2: number, r: number, p: number): ScryptOptions {
  // maxmem must exceed 128 * N * r, or node refuses the parameters.
  return { N: 2 ** costLog2, r, p, maxmem: 256 * 2 ** costLog2 * r };
}

/**
 * `scrypt$15$8$1$<salt>$<key>` (base64url): the parameters travel with the hash, so raising the
 * cost later still verifies old hashes. Asynchronous: hashing must not stall a call in progress.
 */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, options(COST_LOG2, BLOCK_SIZE, PARALLEL));
  return `scrypt$${COST_LOG2}$${BLOCK_SIZE}$${PARALLEL}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [costLog2, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![costLog2, r, p].every((n) => Number.isInteger(n) && n > 0) || costLog2 > 20) return false;
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await scryptAsync(
    secret,
    Buffer.from(parts[4]!, 'base64url'),
    options(costLog2, r, p),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Verified against when the user name is unknown, so a wrong name takes as long as a wrong
 * password and the response time does not tell which accounts exist.
 */
export const DUMMY_HASH =
  'scrypt$15$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
