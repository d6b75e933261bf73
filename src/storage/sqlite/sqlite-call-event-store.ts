import type { SqliteDatabase } from './sqlite-database.js';

export interface StoredCallEvent {
  callId: string;
  atMs: number;
  /** `menu-choice`, `routed`, `guard-screened`, `guard-challenge`... never raw input. */
  kind: string;
  callerHash: string | null;
  detail: Record<string, unknown>;
}

/**
 * Pseudonymous events per call, for the dashboard's call detail and flood reports. Speech
 * transcripts and entered digits are never passed in (the call session keeps them in memory).
 */
export class SqliteCallEventStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  append(event: StoredCallEvent): void {
    this.#db.write(`saving ${event.kind} event of call ${event.callId}`, (db) =>
      db
        .prepare(
          'INSERT INTO call_events (call_id, at, kind, caller_hash, detail_json) VALUES (?, ?, ?, ?, ?)',
        )
        .run(event.callId, event.atMs, event.kind, event.callerHash, JSON.stringify(event.detail)),
    );
  }

  forCall(callId: string): StoredCallEvent[] {
    const rows = this.#db.read(`reading events of call ${callId}`, (db) =>
      db.prepare('SELECT * FROM call_events WHERE call_id = ? ORDER BY at, id').all(callId),
    ) as {
      call_id: string;
      at: number;
      kind: string;
      caller_hash: string | null;
      detail_json: string;
    }[];
    return rows.map((r) => ({
      callId: r.call_id,
      atMs: r.at,
      kind: r.kind,
      callerHash: r.caller_hash,
      detail: JSON.parse(r.detail_json) as Record<string, unknown>,
    }));
  }
}
