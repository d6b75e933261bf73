import type { SessionStore, StoredSession } from '../session-store-port.js';
import type { Role } from '../user-store-port.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface SessionRow {
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  user_created_at: number;
}

/** Admin-page sessions; a disabled or deleted user's sessions stop working at once. */
export class SqliteSessionStore implements SessionStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  create(session: {
    tokenHash: string;
    userId: number;
    csrfToken: string;
    nowMs: number;
    expiresAt: number;
  }): void {
    this.#db.write('saving a login session', (db) =>
      db
        .prepare(
          `INSERT INTO web_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          session.tokenHash,
          session.userId,
          session.csrfToken,
          session.nowMs,
          session.nowMs,
          session.expiresAt,
        ),
    );
  }

  find(tokenHash: string, nowMs: number): StoredSession | undefined {
    const row = this.#db.read('reading a login session', (db) =>
      db
        .prepare(
          `SELECT s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.id, u.username,
                  u.password_hash, u.role, u.created_at AS user_created_at
           FROM web_sessions s JOIN users u ON u.id = s.user_id
           WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`,
        )
        .get(tokenHash, nowMs),
    ) as SessionRow | undefined;
    if (!row) return undefined;
    return {
      user: {
        id: row.id,
        username: row.username,
        role: row.role,
        passwordHash: row.password_hash,
        createdAt: new Date(row.user_created_at),
      },
      csrfToken: row.csrf_token,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
    };
  }

  touch(tokenHash: string, nowMs: number, expiresAt: number): void {
    this.#db.write('extending a login session', (db) =>
      db
        .prepare('UPDATE web_sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?')
        .run(nowMs, expiresAt, tokenHash),
    );
  }

  delete(tokenHash: string): void {
    this.#db.write('ending a login session', (db) =>
      db.prepare('DELETE FROM web_sessions WHERE token_hash = ?').run(tokenHash),
    );
  }

  deleteExpired(nowMs: number): number {
    return this.#db.write(
      'deleting expired login sessions',
      (db) => db.prepare('DELETE FROM web_sessions WHERE expires_at <= ?').run(nowMs).changes,
    );
  }

  shiftTimes(deltaMs: number): number {
    return this.#db.write(
      'moving login sessions with a wall-clock step',
      (db) =>
        db
          .prepare(
            `UPDATE web_sessions SET created_at = created_at + @d, last_seen_at = last_seen_at + @d,
               expires_at = expires_at + @d`,
          )
          .run({ d: deltaMs }).changes,
    );
  }
}
