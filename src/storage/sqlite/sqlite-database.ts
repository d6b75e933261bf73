import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { StorageError, storageError } from '../storage-errors.js';
import { migrate } from './migrations.js';

/**
 * One connection to the appliance's database, opened the way every store needs it: WAL (readers
 * beside one writer, other processes share the file), synchronous=FULL (a committed row
 * survives a power cut), secure_delete (erased rows are overwritten, not left in free pages),
 * an integrity check and the migrations. Stores for callbacks, audit log, settings and so on
 * share one of these; constructors only assign, start() opens.
 */
export class SqliteDatabase {
  readonly file: string;
  #db: Database | null = null;

  constructor(file: string) {
    this.file = file;
  }

  async start(): Promise<void> {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const db = new BetterSqlite3(this.file, { timeout: 5000 });
      try {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        db.pragma('foreign_keys = ON');
        db.pragma('secure_delete = ON');
        const check = db.pragma('quick_check', { simple: true });
        if (check !== 'ok')
          throw Object.assign(new Error(`integrity check: ${String(check)}`), {
            code: 'SQLITE_CORRUPT',
          });
        migrate(db);
      } catch (error) {
        db.close();
        throw error;
      }
      this.#db = db;
    } catch (error) {
      if (error instanceof StorageError) throw error;
      throw storageError('opening the database', this.file, error);
    }
  }

  async stop(): Promise<void> {
    this.#db?.close();
    this.#db = null;
  }

  /** The open connection; a clear error when a store is used before start(). */
  handle(): Database {
    if (!this.#db)
      throw new StorageError('STORAGE_NOT_STARTED', `database ${this.file} used before start()`);
    return this.#db;
  }

  /** Runs `work` in one transaction and maps SQLite failures to actionable errors. */
  write<T>(action: string, work: (db: Database) => T): T {
    const db = this.handle();
    try {
      return db.transaction(() => work(db))();
    } catch (error) {
      if (error instanceof StorageError) throw error;
      throw storageError(action, this.file, error);
    }
  }

  read<T>(action: string, work: (db: Database) => T): T {
    const db = this.handle();
    try {
      return work(db);
    } catch (error) {
      if (error instanceof StorageError) throw error;
      throw storageError(action, this.file, error);
    }
  }

  /**
   * Moves the WAL into the main file and truncates it, so erased data does not linger in the
   * log until the next automatic checkpoint. Best effort: a reader may hold old frames.
   */
  checkpoint(): void {
    this.handle().pragma('wal_checkpoint(TRUNCATE)');
  }
}
