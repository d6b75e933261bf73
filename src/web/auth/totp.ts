import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP) with the parameters every
 * authenticator app supports without asking: HMAC-SHA1, 6 digits, 30-second steps.
 * node:crypto's HMAC is all it takes (about 30 lines, checked against the RFC's test vectors),
 * so the login path carries no third-party code.
 */
export const TOTP_STEP_MS = 30_000;
export const TOTP_DIGITS = 6;
/** 160 bits: the HMAC-SHA1 block size RFC 4226 recommends for the shared secret. */
const SECRET_BYTES = 20;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function newTotpSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/** The time step a moment falls in (RFC 6238's T). */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / TOTP_STEP_MS);
}

/** The code for one time step (RFC 4226 HOTP with the step as counter). */
export function totpCode(secret: Buffer, step: number, digits = TOTP_DIGITS): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/**
 * The step whose code `code` is, looking one step either side of now (a phone clock a little
 * off, a code typed as it rolled over), or null. Steps at or before `lastUsedStep` are skipped
 * and reported as a replay: a code that was used once stays used.
 */
export function matchTotp(
  secret: Buffer,
  code: string,
  nowMs: number,
  lastUsedStep: number,
): { step: number } | { replayed: true } | null {
  const typed = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(typed)) return null;
  const now = totpStep(nowMs);
  let replayed = false;
  for (const step of [now - 1, now, now + 1]) {
    if (!sameCode(totpCode(secret, step), typed)) continue;
    if (step > lastUsedStep) return { step };
    replayed = true;
  }
  return replayed ? { replayed: true } : null;
}

function sameCode(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** RFC 4648 base32 without padding, the form authenticator apps take a secret in. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The inverse, tolerant of what a person types: lower case, spaces, padding. */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`"${char}" is not a base32 character (A–Z, 2–7)`);
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** Groups of four, so a person can read the secret aloud or type it without losing their place. */
export function groupedSecret(secret: Buffer): string {
  return base32Encode(secret).replace(/(.{4})(?=.)/g, '$1 ');
}

/** The otpauth:// address an authenticator app reads from the QR code (Key Uri Format). */
export function otpauthUri(options: { issuer: string; account: string; secret: Buffer }): string {
  const label = `${encodeURIComponent(options.issuer)}:${encodeURIComponent(options.account)}`;
  const params = new URLSearchParams({
    secret: base32Encode(options.secret),
    issuer: options.issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_MS / 1000),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
