import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Settings changed at run time (web page, CLI), each change audited in the same transaction:
 * a setting such as switching off the disclosure cannot change without a record of who did it.
 */
export class SqliteSettingsStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  get<T>(key: string): T | undefined {
    const row = this.#db.read(`reading setting ${key}`, (db) =>
      db.prepare('SELECT value_json FROM settings WHERE key = ?').get(key),
    ) as { value_json: string } | undefined;
    return row ? (JSON.parse(row.value_json) as T) : undefined;
  }

  set(key: string, value: unknown, actor: string, nowMs: number): void {
    this.#db.write(`changing setting ${key}`, (db) => {
      const before = db.prepare('SELECT value_json FROM settings WHERE key = ?').get(key) as
        | { value_json: string }
        | undefined;
      db.prepare(
        `INSERT INTO settings (key, value_json, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ).run(key, JSON.stringify(value), nowMs, actor);
      db.prepare(
        `INSERT INTO audit_log (at, actor, action, subject, outcome, detail_json)
         VALUES (?, ?, 'settings.set', ?, 'done', ?)`,
      ).run(
        nowMs,
        actor,
        key,
        JSON.stringify({ from: before ? JSON.parse(before.value_json) : null, to: value }),
      );
    });
  }
}
