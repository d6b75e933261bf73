import { rmSync } from 'node:fs';
import type { SqliteDatabase } from './sqlite-database.js';

/** Every row that mentions one caller hash, table by table, as stored. */
export interface SubjectRows {
  calls: Record<string, unknown>[];
  callEvents: Record<string, unknown>[];
  callbacks: Record<string, unknown>[];
  voicemails: Record<string, unknown>[];
  guardBlocks: Record<string, unknown>[];
  auditLog: Record<string, unknown>[];
}

export interface ErasureCounts {
  calls: number;
  callEvents: number;
  callbacks: number;
  voicemails: number;
  voicemailFiles: number;
  guardBlocks: number;
}

/**
 * Finds and erases everything about one caller (by keyed hash) for data-subject requests. The
 * audit log is read but not erased: the record that a request was answered is kept (GDPR
 * Art. 5(2)); it names the caller by hash only.
 */
export class SqliteDataSubjectStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  collect(hash: string): SubjectRows {
    return this.#db.read('collecting data about one caller', (db) => {
      const all = (sql: string) => db.prepare(sql).all({ hash }) as Record<string, unknown>[];
      return {
        calls: all('SELECT * FROM calls WHERE caller_hash = @hash ORDER BY started_at'),
        callEvents: all(
          `SELECT * FROM call_events WHERE caller_hash = @hash
             OR call_id IN (SELECT id FROM calls WHERE caller_hash = @hash) ORDER BY at, id`,
        ),
        callbacks: all('SELECT * FROM callbacks WHERE caller_hash = @hash ORDER BY created_at'),
        voicemails: all('SELECT * FROM voicemails WHERE caller_hash = @hash ORDER BY created_at'),
        guardBlocks: all('SELECT * FROM guard_blocks WHERE caller_hash = @hash'),
        auditLog: all('SELECT * FROM audit_log WHERE subject = @hash ORDER BY at, id'),
      };
    });
  }

  /** Deletes every row about `hash` in one transaction, then the voicemail audio files. */
  erase(hash: string): ErasureCounts {
    const { counts, files } = this.#db.write('erasing data about one caller', (db) => {
      const run = (sql: string) => db.prepare(sql).run({ hash }).changes;
      const audio = (
        db.prepare('SELECT audio_file FROM voicemails WHERE caller_hash = @hash').all({ hash }) as {
          audio_file: string;
        }[]
      ).map((r) => r.audio_file);
      const callEvents = run(
        `DELETE FROM call_events WHERE caller_hash = @hash
           OR call_id IN (SELECT id FROM calls WHERE caller_hash = @hash)`,
      );
      return {
        files: audio,
        counts: {
          calls: run('DELETE FROM calls WHERE caller_hash = @hash'),
          callEvents,
          callbacks: run('DELETE FROM callbacks WHERE caller_hash = @hash'),
          voicemails: run('DELETE FROM voicemails WHERE caller_hash = @hash'),
          voicemailFiles: 0,
          guardBlocks: run('DELETE FROM guard_blocks WHERE caller_hash = @hash'),
        },
      };
    });
    for (const file of files) {
      rmSync(file, { force: true });
      counts.voicemailFiles++;
    }
    this.#db.checkpoint();
    return counts;
  }
}
