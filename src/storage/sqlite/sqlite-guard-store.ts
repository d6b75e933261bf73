import type { GuardHistory } from '../../guard/flood-guard.js';
import type { GuardBlock } from '../../guard/guard-events.js';
import type { SqliteDatabase } from './sqlite-database.js';

const DAY = 86_400_000;

/** What the flood guard must not forget across a restart: blocks, known callers, normal load. */
export class SqliteGuardStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /** Call times of the last 8 days (not refused ones) and callers whose calls went through. */
  loadHistory(nowMs: number, knownForMs: number): GuardHistory {
    return this.#db.read('loading the flood guard history', (db) => {
      const callTimes = (
        db
          .prepare(
            `SELECT started_at FROM calls WHERE started_at >= ? AND route NOT LIKE 'refused:%'
             ORDER BY started_at`,
          )
          .all(nowMs - 8 * DAY) as { started_at: number }[]
      ).map((r) => r.started_at);
      const knownCallers = (
        db
          .prepare(
            `SELECT caller_hash AS hash, max(started_at) AS lastSeenMs FROM calls
             WHERE caller_hash IS NOT NULL AND started_at >= ?
               AND route NOT LIKE 'refused:%' AND route <> 'abandoned'
             GROUP BY caller_hash`,
          )
          .all(nowMs - knownForMs) as { hash: string; lastSeenMs: number }[]
      ).map((r) => ({ hash: r.hash, lastSeenMs: r.lastSeenMs }));
      const blocks = (
        db.prepare('SELECT * FROM guard_blocks WHERE until_ms > ?').all(nowMs) as {
          caller_hash: string;
          caller_hint: string | null;
          until_ms: number;
          level: number;
        }[]
      ).map(
        (r): GuardBlock => ({
          hash: r.caller_hash,
          hint: r.caller_hint,
          untilMs: r.until_ms,
          level: r.level,
          reason: 'challenge-failures',
        }),
      );
      return { callTimes, knownCallers, blocks };
    });
  }

  saveBlock(block: GuardBlock): void {
    this.#db.write('saving a flood guard block', (db) =>
      db
        .prepare(
          `INSERT INTO guard_blocks (caller_hash, caller_hint, until_ms, level, reason)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (caller_hash) DO UPDATE SET until_ms = excluded.until_ms,
             level = excluded.level, reason = excluded.reason`,
        )
        .run(block.hash, block.hint, block.untilMs, block.level, block.reason),
    );
  }

  deleteBlock(hash: string): void {
    this.#db.write('lifting a flood guard block', (db) =>
      db.prepare('DELETE FROM guard_blocks WHERE caller_hash = ?').run(hash),
    );
  }
}
