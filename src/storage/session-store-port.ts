import type { WebUser } from './user-store-port.js';

export interface StoredSession {
  user: WebUser;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** Server-side sessions, keyed by a hash of the cookie value (never the value itself). */
export interface SessionStore {
  create(session: {
    tokenHash: string;
    userId: number;
    csrfToken: string;
    nowMs: number;
    expiresAt: number;
  }): void;
  /** The live session and its (enabled) user; expired rows are treated as absent. */
  find(tokenHash: string, nowMs: number): StoredSession | undefined;
  touch(tokenHash: string, nowMs: number, expiresAt: number): void;
  delete(tokenHash: string): void;
  deleteExpired(nowMs: number): number;
  /** Moves every session's times by `deltaMs` (the wall clock was stepped); returns how many. */
  shiftTimes(deltaMs: number): number;
}
