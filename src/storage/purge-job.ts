import { rmSync } from 'node:fs';
import { DAY_MS, type RetentionPolicy } from '../privacy/retention-policy.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { SqliteDatabase } from './sqlite/sqlite-database.js';

export interface PurgeCounts {
  calls: number;
  callEvents: number;
  callbacks: number;
  voicemails: number;
  guardBlocks: number;
  auditLog: number;
}

const HOUR_MS = 3_600_000;

/**
 * Deletes whatever has outlived its retention period: at start, then every hour. A failed run
 * is logged and retried at the next hour; it never stops the appliance answering calls.
 */
export class PurgeJob {
  readonly #db: SqliteDatabase;
  readonly #policy: RetentionPolicy;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  #stop: AbortController | null = null;
  #loop: Promise<void> | null = null;

  constructor(options: {
    db: SqliteDatabase;
    policy: RetentionPolicy;
    clock: Clock;
    logger: Logger;
    intervalMs?: number;
  }) {
    this.#db = options.db;
    this.#policy = options.policy;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#intervalMs = options.intervalMs ?? HOUR_MS;
  }

  start(): void {
    if (this.#stop) return;
    const stop = new AbortController();
    this.#stop = stop;
    this.#loop = (async () => {
      while (!stop.signal.aborted) {
        try {
          const counts = this.runOnce(this.#clock.now());
          if (Object.values(counts).some((n) => n > 0))
            this.#logger.info({ purged: counts }, 'expired data deleted');
        } catch (error) {
          this.#logger.error({ err: error }, 'purge failed; retrying at the next run');
        }
        await this.#clock.sleep(this.#intervalMs, stop.signal);
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stop?.abort();
    await this.#loop;
    this.#stop = null;
    this.#loop = null;
  }

  runOnce(nowMs: number): PurgeCounts {
    const p = this.#policy;
    const before = (days: number) => nowMs - days * DAY_MS;
    const { counts, files } = this.#db.write('deleting expired data', (db) => {
      const del = (sql: string, at: number) => db.prepare(sql).run(at).changes;
      const expiredAudio = (
        db
          .prepare('SELECT audio_file FROM voicemails WHERE expires_at <= ? OR created_at < ?')
          .all(nowMs, before(p.voicemails)) as { audio_file: string }[]
      ).map((r) => r.audio_file);
      return {
        files: expiredAudio,
        counts: {
          calls: del('DELETE FROM calls WHERE started_at < ?', before(p.calls)),
          callEvents: del('DELETE FROM call_events WHERE at < ?', before(p.callEvents)),
          callbacks: db
            .prepare('DELETE FROM callbacks WHERE expires_at <= ? OR created_at < ?')
            .run(nowMs, before(p.callbacks)).changes,
          voicemails: db
            .prepare('DELETE FROM voicemails WHERE expires_at <= ? OR created_at < ?')
            .run(nowMs, before(p.voicemails)).changes,
          guardBlocks: del('DELETE FROM guard_blocks WHERE until_ms < ?', before(p.guardBlocks)),
          auditLog: del('DELETE FROM audit_log WHERE at < ?', before(p.auditLog)),
        },
      };
    });
    for (const file of files) rmSync(file, { force: true });
    if (Object.values(counts).some((n) => n > 0)) this.#db.checkpoint();
    return counts;
  }
}
