import type { Database } from 'better-sqlite3';

/**
 * Schema changes in order; the database's `user_version` says how many have run. Never edit a
 * released migration: add a new one, so every appliance in the field upgrades the same way.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE calls (
     id              TEXT PRIMARY KEY,
     started_at      INTEGER NOT NULL,
     ended_at        INTEGER NOT NULL,
     duration_ms     INTEGER NOT NULL,
     caller_hash     TEXT,
     caller_hint     TEXT,
     caller_withheld TEXT,
     route           TEXT NOT NULL,
     topic           TEXT,
     choices_json    TEXT NOT NULL,
     end_reason      TEXT NOT NULL,
     flow_name       TEXT NOT NULL,
     line_kind       TEXT NOT NULL
   ) STRICT;
   CREATE INDEX calls_started_at ON calls (started_at);
   CREATE INDEX calls_caller_hash ON calls (caller_hash);`,
  `ALTER TABLE calls ADD COLUMN callback_window TEXT;
   ALTER TABLE calls ADD COLUMN language TEXT NOT NULL DEFAULT 'en';`,
];

export function migrate(db: Database): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > MIGRATIONS.length) {
    throw new Error(
      `database schema version ${from} is newer than this linekeeper understands (${MIGRATIONS.length}); install the newer version again or restore a backup`,
    );
  }
  for (let version = from; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return { from, to: MIGRATIONS.length };
}
