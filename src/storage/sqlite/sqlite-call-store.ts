import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import type { CallRecord } from '../../call/call-record.js';
import type { CallQuery, CallStore } from '../call-store-port.js';
import { StorageError, storageError } from '../storage-errors.js';
import { migrate } from './migrations.js';

/** A `calls` row as SQLite returns it; shared with the call log's queries. */
export interface CallRow {
  id: string;
  started_at: number;
  ended_at: number;
  duration_ms: number;
  caller_hash: string | null;
  caller_hint: string | null;
  caller_withheld: string | null;
  route: string;
  topic: string | null;
  callback_window: string | null;
  language: string;
  choices_json: string;
  end_reason: string;
  flow_name: string;
  line_kind: string;
}

/**
 * Calls in a SQLite file. WAL lets the web page read while a call is written, and several
 * processes (the appliance, `linekeeper simulate`) share one file; synchronous=FULL makes a
 * committed call survive a power cut, at the cost of one fsync per call (fine at clinic rates).
 */
export class SqliteCallStore implements CallStore {
  readonly kind = 'sqlite';
  readonly file: string;
  #db: Database | null = null;
  #insert: Statement | null = null;
  #ownCommits = 0;

  constructor(file: string) {
    this.file = file;
  }

  async start(): Promise<void> {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const db = new BetterSqlite3(this.file, { timeout: 5000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      // Erased and purged calls are overwritten on disk, not left readable in free pages.
      db.pragma('secure_delete = ON');
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok')
        throw Object.assign(new Error(`integrity check: ${String(check)}`), {
          code: 'SQLITE_CORRUPT',
        });
      migrate(db);
      this.#insert = db.prepare(
        `INSERT INTO calls (id, started_at, ended_at, duration_ms, caller_hash, caller_hint, caller_withheld,
                            route, topic, callback_window, language, choices_json, end_reason, flow_name, line_kind)
         VALUES (@id, @started_at, @ended_at, @duration_ms, @caller_hash, @caller_hint, @caller_withheld,
                 @route, @topic, @callback_window, @language, @choices_json, @end_reason, @flow_name, @line_kind)`,
      );
      this.#db = db;
    } catch (error) {
      if (error instanceof StorageError) throw error;
      throw storageError('opening the call database', this.file, error);
    }
  }

  async stop(): Promise<void> {
    this.#db?.close();
    this.#db = null;
  }

  async saveCall(record: CallRecord): Promise<void> {
    const insert = this.#insert ?? this.#notStarted();
    try {
      insert.run(toRow(record));
      this.#ownCommits++;
    } catch (error) {
      throw storageError(`saving call ${record.id}`, this.file, error);
    }
  }

  async recentCalls(query: CallQuery): Promise<CallRecord[]> {
    const db = this.#db ?? this.#notStarted();
    const limit = Math.max(1, Math.min(500, Math.floor(query.limit)));
    try {
      const rows = query.before
        ? (db
            .prepare(
              `SELECT * FROM calls WHERE (started_at, id) < (SELECT started_at, id FROM calls WHERE id = ?)
               ORDER BY started_at DESC, id DESC LIMIT ?`,
            )
            .all(query.before, limit) as CallRow[])
        : (db
            .prepare('SELECT * FROM calls ORDER BY started_at DESC, id DESC LIMIT ?')
            .all(limit) as CallRow[]);
      return rows.map(fromRow);
    } catch (error) {
      throw storageError('reading calls', this.file, error);
    }
  }

  async countCallsSince(since: Date): Promise<number> {
    const db = this.#db ?? this.#notStarted();
    const row = db
      .prepare('SELECT count(*) AS n FROM calls WHERE started_at >= ?')
      .get(since.getTime()) as { n: number };
    return row.n;
  }

  changeToken(): number {
    const db = this.#db ?? this.#notStarted();
    // data_version changes when another connection commits; our own commits are counted apart.
    return (db.pragma('data_version', { simple: true }) as number) * 1_000_000 + this.#ownCommits;
  }

  #notStarted(): never {
    throw new StorageError('STORAGE_NOT_STARTED', 'call store used before start()');
  }
}

function toRow(r: CallRecord): CallRow {
  return {
    id: r.id,
    started_at: r.startedAt.getTime(),
    ended_at: r.endedAt.getTime(),
    duration_ms: Math.round(r.durationMs),
    caller_hash: r.callerHash,
    caller_hint: r.callerHint,
    caller_withheld: r.callerWithheld,
    route: r.route,
    topic: r.topic,
    callback_window: r.callbackWindow,
    language: r.language,
    choices_json: JSON.stringify(r.choices),
    end_reason: r.endReason,
    flow_name: r.flowName,
    line_kind: r.lineKind,
  };
}

export function fromRow(row: CallRow): CallRecord {
  return {
    id: row.id,
    startedAt: new Date(row.started_at),
    endedAt: new Date(row.ended_at),
    durationMs: row.duration_ms,
    callerHash: row.caller_hash,
    callerHint: row.caller_hint,
    callerWithheld: row.caller_withheld as CallRecord['callerWithheld'],
    route: row.route,
    topic: row.topic,
    callbackWindow: row.callback_window,
    language: row.language,
    choices: JSON.parse(row.choices_json) as CallRecord['choices'],
    endReason: row.end_reason as CallRecord['endReason'],
    flowName: row.flow_name,
    lineKind: row.line_kind,
  };
}
