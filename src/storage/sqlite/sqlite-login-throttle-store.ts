import type { LoginThrottleStore, ThrottlePolicy } from '../login-throttle-port.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface FailureRow {
  failures: number;
  first_at: number;
  locked_until: number;
}

/** Failed-login counters in SQLite, so restarting the appliance does not lift a lockout. */
export class SqliteLoginThrottleStore implements LoginThrottleStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  lockedUntil(key: string, nowMs: number): number {
    const row = this.#db.read('reading login failures', (db) =>
      db.prepare('SELECT locked_until FROM login_failures WHERE key = ?').get(key),
    ) as { locked_until: number } | undefined;
    return row && row.locked_until > nowMs ? row.locked_until : 0;
  }

  recordFailure(key: string, nowMs: number, policy: ThrottlePolicy): number {
    return this.#db.write('counting a failed login', (db) => {
      const row = db
        .prepare('SELECT failures, first_at, locked_until FROM login_failures WHERE key = ?')
        .get(key) as FailureRow | undefined;
      // A window that has passed, or a lock that has ended, starts the count afresh.
      const fresh =
        !row ||
        nowMs - row.first_at >= policy.windowMs ||
        (row.locked_until > 0 && row.locked_until <= nowMs);
      const failures = fresh ? 1 : row.failures + 1;
      const firstAt = fresh ? nowMs : row.first_at;
      const lockedUntil = failures >= policy.maxFailures ? nowMs + policy.lockMs : 0;
      db.prepare(
        `INSERT INTO login_failures (key, failures, first_at, locked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
           first_at = excluded.first_at, locked_until = excluded.locked_until`,
      ).run(key, failures, firstAt, lockedUntil);
      return lockedUntil;
    });
  }

  clear(key: string): void {
    this.#db.write('clearing login failures', (db) =>
      db.prepare('DELETE FROM login_failures WHERE key = ?').run(key),
    );
  }
}
