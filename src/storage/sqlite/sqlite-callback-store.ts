import { randomUUID } from 'node:crypto';
import type { NumberSealer } from '../../privacy/number-sealer.js';
import type {
  CallbackRequest,
  CallbackStore,
  NewCallback,
  OpenCallback,
} from '../callback-store-port.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface CallbackRow {
  id: string;
  call_id: string;
  created_at: number;
  expires_at: number;
  caller_hash: string;
  caller_hint: string;
  number_sealed: Buffer;
  key_id: string;
  topic: string | null;
  callback_window: string | null;
  language: string;
}

/**
 * Callback requests with the number sealed (AES-256-GCM, key outside the database). The row is
 * deleted when staff mark it handled, or by the purge job when it expires.
 */
export class SqliteCallbackStore implements CallbackStore {
  readonly #db: SqliteDatabase;
  readonly #sealer: NumberSealer;

  constructor(db: SqliteDatabase, sealer: NumberSealer) {
    this.#db = db;
    this.#sealer = sealer;
  }

  add(request: NewCallback): CallbackRequest {
    const id = randomUUID();
    const row: CallbackRow = {
      id,
      call_id: request.callId,
      created_at: request.createdAtMs,
      expires_at: request.createdAtMs + request.retentionMs,
      caller_hash: request.callerHash,
      caller_hint: request.callerHint,
      number_sealed: this.#sealer.seal(request.number, id),
      key_id: this.#sealer.keyId,
      topic: request.topic,
      callback_window: request.window,
      language: request.language,
    };
    this.#db.write(`saving callback request for call ${request.callId}`, (db) =>
      db
        .prepare(
          `INSERT INTO callbacks (id, call_id, created_at, expires_at, caller_hash, caller_hint,
                                  number_sealed, key_id, topic, callback_window, language)
           VALUES (@id, @call_id, @created_at, @expires_at, @caller_hash, @caller_hint,
                   @number_sealed, @key_id, @topic, @callback_window, @language)`,
        )
        .run(row),
    );
    return toRequest(row);
  }

  open(nowMs: number): OpenCallback[] {
    const rows = this.#db.read(
      'reading callback requests',
      (db) =>
        db
          .prepare('SELECT * FROM callbacks WHERE expires_at > ? ORDER BY created_at, id')
          .all(nowMs) as CallbackRow[],
    );
    return rows.map((row) => ({
      ...toRequest(row),
      number: this.#sealer.open(row.number_sealed, row.id, row.key_id).toString('utf8'),
    }));
  }

  markHandled(id: string, actor: string, nowMs: number): boolean {
    return this.#db.write(`marking callback ${id} handled`, (db) => {
      const row = db.prepare('SELECT caller_hash FROM callbacks WHERE id = ?').get(id) as
        | { caller_hash: string }
        | undefined;
      if (!row) return false;
      db.prepare('DELETE FROM callbacks WHERE id = ?').run(id);
      db.prepare(
        `INSERT INTO audit_log (at, actor, action, subject, outcome, detail_json)
         VALUES (?, ?, 'callback.handled', ?, 'done', ?)`,
      ).run(nowMs, actor, row.caller_hash, JSON.stringify({ callbackId: id }));
      return true;
    });
  }
}

function toRequest(row: CallbackRow): CallbackRequest {
  return {
    id: row.id,
    callId: row.call_id,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    callerHash: row.caller_hash,
    callerHint: row.caller_hint,
    topic: row.topic,
    window: row.callback_window,
    language: row.language,
  };
}
