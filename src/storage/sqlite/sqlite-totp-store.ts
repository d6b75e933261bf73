import type { StoredTotp, TotpStore } from '../totp-store-port.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface TotpRow {
  secret_sealed: Buffer;
  key_id: string;
  confirmed_at: number | null;
  last_step: number;
}

/** TOTP secrets in `web_totp` (migration 5); the row goes with its user (ON DELETE CASCADE). */
export class SqliteTotpStore implements TotpStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  get(userId: number): StoredTotp | undefined {
    const row = this.#db.read('reading a second-factor secret', (db) =>
      db
        .prepare(
          'SELECT secret_sealed, key_id, confirmed_at, last_step FROM web_totp WHERE user_id = ?',
        )
        .get(userId),
    ) as TotpRow | undefined;
    return row
      ? {
          sealed: row.secret_sealed,
          keyId: row.key_id,
          confirmed: row.confirmed_at !== null,
          lastStep: row.last_step,
        }
      : undefined;
  }

  savePending(userId: number, secret: { sealed: Buffer; keyId: string }, nowMs: number): boolean {
    return this.#db.write('saving a new second-factor secret', (db) => {
      const result = db
        .prepare(
          `INSERT INTO web_totp (user_id, secret_sealed, key_id, confirmed_at, last_step, created_at)
           VALUES (?, ?, ?, NULL, 0, ?)
           ON CONFLICT (user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed,
             key_id = excluded.key_id, last_step = 0, created_at = excluded.created_at
           WHERE web_totp.confirmed_at IS NULL`,
        )
        .run(userId, secret.sealed, secret.keyId, nowMs);
      return result.changes === 1;
    });
  }

  confirm(userId: number, step: number, nowMs: number): boolean {
    return this.#db.write('activating a second-factor secret', (db) => {
      const result = db
        .prepare(
          `UPDATE web_totp SET confirmed_at = ?, last_step = ?
           WHERE user_id = ? AND confirmed_at IS NULL`,
        )
        .run(nowMs, step, userId);
      return result.changes === 1;
    });
  }

  spendStep(userId: number, step: number): boolean {
    return this.#db.write('spending a one-time code', (db) => {
      const result = db
        .prepare('UPDATE web_totp SET last_step = ? WHERE user_id = ? AND last_step < ?')
        .run(step, userId, step);
      return result.changes === 1;
    });
  }

  remove(userId: number): boolean {
    return this.#db.write('removing a second-factor secret', (db) => {
      return db.prepare('DELETE FROM web_totp WHERE user_id = ?').run(userId).changes === 1;
    });
  }

  enabledUserIds(): Set<number> {
    const rows = this.#db.read('listing second-factor users', (db) =>
      db.prepare('SELECT user_id FROM web_totp WHERE confirmed_at IS NOT NULL').all(),
    ) as { user_id: number }[];
    return new Set(rows.map((r) => r.user_id));
  }
}
