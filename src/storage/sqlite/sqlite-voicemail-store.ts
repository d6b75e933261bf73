import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildWav, parseWav, toMono } from '../../audio/wav.js';
import type { NumberSealer } from '../../privacy/number-sealer.js';
import { storageError } from '../storage-errors.js';
import type { StoredVoicemail, VoicemailMessage, VoicemailStore } from '../voicemail-store-port.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface VoicemailRow {
  id: string;
  call_id: string;
  created_at: number;
  expires_at: number;
  caller_hint: string | null;
  audio_file: string;
  key_id: string;
  duration_ms: number;
}

/**
 * Voicemail audio as AES-256-GCM sealed WAV files (one per message, bound to its id, key from
 * the device secret) beside rows in the database. The purge job deletes both when a message
 * expires. Files are written under a temporary name and renamed, so a power cut leaves either
 * a whole message or none.
 */
export class SqliteVoicemailStore implements VoicemailStore {
  readonly #db: SqliteDatabase;
  readonly #sealer: NumberSealer;
  readonly #dir: string;
  readonly #retentionMs: number;

  constructor(options: {
    db: SqliteDatabase;
    sealer: NumberSealer;
    dir: string;
    retentionMs: number;
  }) {
    this.#db = options.db;
    this.#sealer = options.sealer;
    this.#dir = options.dir;
    this.#retentionMs = options.retentionMs;
  }

  async save(message: VoicemailMessage): Promise<StoredVoicemail> {
    const id = randomUUID();
    const file = join(this.#dir, `${id}.vm`);
    const sealed = this.#sealer.seal(
      Buffer.from(buildWav([message.samples], { sampleRate: 8000 })),
      id,
    );
    try {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 });
      await writeFile(`${file}.tmp`, sealed, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    } catch (error) {
      throw storageError(`saving voicemail of call ${message.callId}`, file, error);
    }
    const stored: StoredVoicemail = {
      id,
      callId: message.callId,
      createdAtMs: message.createdAtMs,
      expiresAtMs: message.createdAtMs + this.#retentionMs,
      callerHint: message.caller.hint,
      durationMs: Math.round((message.samples.length / 8000) * 1000),
    };
    this.#db.write(`saving voicemail of call ${message.callId}`, (db) =>
      db
        .prepare(
          `INSERT INTO voicemails (id, call_id, created_at, expires_at, caller_hash, caller_hint, audio_file, key_id, duration_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          stored.callId,
          stored.createdAtMs,
          stored.expiresAtMs,
          message.caller.hash,
          stored.callerHint,
          file,
          this.#sealer.keyId,
          stored.durationMs,
        ),
    );
    return stored;
  }

  list(nowMs: number): StoredVoicemail[] {
    const rows = this.#db.read('listing voicemail', (db) =>
      db.prepare('SELECT * FROM voicemails WHERE expires_at > ? ORDER BY created_at').all(nowMs),
    ) as VoicemailRow[];
    return rows.map((r) => ({
      id: r.id,
      callId: r.call_id,
      createdAtMs: r.created_at,
      expiresAtMs: r.expires_at,
      callerHint: r.caller_hint,
      durationMs: r.duration_ms,
    }));
  }

  async audio(id: string): Promise<Int16Array> {
    const row = this.#db.read(`reading voicemail ${id}`, (db) =>
      db.prepare('SELECT * FROM voicemails WHERE id = ?').get(id),
    ) as VoicemailRow | undefined;
    if (!row)
      throw storageError(
        `reading voicemail ${id}`,
        this.#dir,
        Object.assign(new Error('no such message (expired or erased)'), { code: 'ENOENT' }),
      );
    const plain = this.#sealer.open(await readFile(row.audio_file), id, row.key_id);
    return toMono(parseWav(plain, row.audio_file));
  }
}
