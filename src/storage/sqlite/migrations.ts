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
  // 3: everything else the appliance keeps (issue 10). Caller numbers appear only as the keyed
  // hash plus two digits, except the callback number, which is sealed (AES-256-GCM) with a key
  // that lives outside this file. Each table has the timestamp its retention is measured from.
  `CREATE TABLE call_events (
     id          INTEGER PRIMARY KEY,
     call_id     TEXT NOT NULL,
     at          INTEGER NOT NULL,
     kind        TEXT NOT NULL,
     caller_hash TEXT,
     detail_json TEXT NOT NULL
   ) STRICT;
   CREATE INDEX call_events_call_id ON call_events (call_id);
   CREATE INDEX call_events_at ON call_events (at);
   CREATE INDEX call_events_caller_hash ON call_events (caller_hash);
   CREATE TABLE callbacks (
     id              TEXT PRIMARY KEY,
     call_id         TEXT NOT NULL,
     created_at      INTEGER NOT NULL,
     expires_at      INTEGER NOT NULL,
     caller_hash     TEXT NOT NULL,
     caller_hint     TEXT NOT NULL,
     number_sealed   BLOB NOT NULL,
     key_id          TEXT NOT NULL,
     topic           TEXT,
     callback_window TEXT,
     language        TEXT NOT NULL
   ) STRICT;
   CREATE INDEX callbacks_expires_at ON callbacks (expires_at);
   CREATE INDEX callbacks_caller_hash ON callbacks (caller_hash);
   CREATE TABLE voicemails (
     id          TEXT PRIMARY KEY,
     call_id     TEXT NOT NULL,
     created_at  INTEGER NOT NULL,
     expires_at  INTEGER NOT NULL,
     caller_hash TEXT,
     caller_hint TEXT,
     audio_file  TEXT NOT NULL,
     key_id      TEXT NOT NULL,
     duration_ms INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX voicemails_expires_at ON voicemails (expires_at);
   CREATE INDEX voicemails_caller_hash ON voicemails (caller_hash);
   CREATE TABLE users (
     id            INTEGER PRIMARY KEY,
     username      TEXT NOT NULL UNIQUE,
     password_hash TEXT NOT NULL,
     role          TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
     created_at    INTEGER NOT NULL,
     disabled_at   INTEGER
   ) STRICT;
   CREATE TABLE audit_log (
     id          INTEGER PRIMARY KEY,
     at          INTEGER NOT NULL,
     actor       TEXT NOT NULL,
     action      TEXT NOT NULL,
     subject     TEXT,
     outcome     TEXT NOT NULL CHECK (outcome IN ('done', 'refused', 'failed')),
     detail_json TEXT NOT NULL
   ) STRICT;
   CREATE INDEX audit_log_at ON audit_log (at);
   CREATE INDEX audit_log_subject ON audit_log (subject);
   CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
   BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
   CREATE TABLE settings (
     key        TEXT PRIMARY KEY,
     value_json TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     updated_by TEXT NOT NULL
   ) STRICT;
   CREATE TABLE guard_blocks (
     caller_hash TEXT PRIMARY KEY,
     caller_hint TEXT,
     until_ms    INTEGER NOT NULL,
     level       INTEGER NOT NULL,
     reason      TEXT NOT NULL
   ) STRICT;`,
  // 4: admin page login (issue 7). Sessions are stored by the SHA-256 of their cookie value, the
  // setup code by its scrypt hash: a copied database opens no session and reveals no code.
  // Login failures live here, not in memory, so a restart does not lift a lockout.
  `CREATE TABLE web_sessions (
     token_hash   TEXT PRIMARY KEY,
     user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     csrf_token   TEXT NOT NULL,
     created_at   INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL,
     expires_at   INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX web_sessions_expires_at ON web_sessions (expires_at);
   CREATE TABLE web_setup_code (
     id         INTEGER PRIMARY KEY CHECK (id = 1),
     code_hash  TEXT NOT NULL,
     created_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE login_failures (
     key          TEXT PRIMARY KEY,
     failures     INTEGER NOT NULL,
     first_at     INTEGER NOT NULL,
     locked_until INTEGER NOT NULL
   ) STRICT;`,
  // 5: optional TOTP second factor for admin-page accounts (issue 7). The secret is sealed
  // (AES-256-GCM, key from the device secret) like callback numbers: a copied database file
  // does not let anyone make codes. confirmed_at is NULL while enrolment awaits its first code;
  // last_step is the newest time step whose code was accepted, so a code works only once.
  `CREATE TABLE web_totp (
     user_id       INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
     secret_sealed BLOB NOT NULL,
     key_id        TEXT NOT NULL,
     confirmed_at  INTEGER,
     last_step     INTEGER NOT NULL DEFAULT 0,
     created_at    INTEGER NOT NULL
   ) STRICT;`,
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
