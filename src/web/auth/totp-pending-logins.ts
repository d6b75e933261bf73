import { createHash, randomBytes } from 'node:crypto';
import type { WebUser } from '../../storage/user-store-port.js';

/** Long enough to unlock a phone and read a code; short enough that a stolen token is stale. */
export const PENDING_LOGIN_MS = 5 * 60_000;
/** A flood of password-correct logins cannot grow memory without bound. */
const MAX_PENDING = 200;

interface Pending {
  user: WebUser;
  expiresAt: number;
}

/**
 * Logins that passed the password and wait for the one-time code. Not a session: the token
 * opens no page, only the code form, for five minutes. Kept in memory (by the token's SHA-256):
 * a restart only means typing the password again.
 */
export class PendingLogins {
  readonly #entries = new Map<string, Pending>();

  create(user: WebUser, nowMs: number): string {
    this.#prune(nowMs);
    if (this.#entries.size >= MAX_PENDING) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    const token = randomBytes(32).toString('base64url');
    this.#entries.set(sha256(token), { user, expiresAt: nowMs + PENDING_LOGIN_MS });
    return token;
  }

  find(token: string | undefined, nowMs: number): WebUser | undefined {
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const entry = this.#entries.get(sha256(token));
    if (!entry) return undefined;
    if (entry.expiresAt <= nowMs) {
      this.#entries.delete(sha256(token));
      return undefined;
    }
    return entry.user;
  }

  delete(token: string | undefined): void {
    if (token) this.#entries.delete(sha256(token));
  }

  #prune(nowMs: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= nowMs) this.#entries.delete(key);
    }
  }
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
