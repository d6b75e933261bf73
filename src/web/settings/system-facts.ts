import { statfsSync, statSync } from 'node:fs';
import type { SqliteDatabase } from '../../storage/sqlite/sqlite-database.js';

/** Same threshold as `linekeeper doctor`: calls need little, but logs and updates do. */
export const LOW_DISK_BYTES = 200 * 1024 * 1024;

export interface StorageFacts {
  /** The database file with its write-ahead log. */
  databaseBytes: number;
  freeBytes: number | null;
  lowDisk: boolean;
  /** 'ok', or what SQLite's quick_check found. */
  integrity: string;
}

/**
 * Storage as `linekeeper doctor` checks it, but on the running appliance's own connection:
 * a second connection and the device secret are not needed to know the database is sound.
 */
export function storageFacts(db: SqliteDatabase, dataDir: string): StorageFacts {
  const databaseBytes = ['', '-wal'].reduce(
    (sum, suffix) => sum + sizeOf(`${db.file}${suffix}`),
    0,
  );
  let freeBytes: number | null = null;
  try {
    const fs = statfsSync(dataDir);
    freeBytes = fs.bavail * fs.bsize;
  } catch {
    freeBytes = null;
  }
  let integrity: string;
  try {
    integrity = String(
      db.read('checking integrity', (h) => h.pragma('quick_check', { simple: true })),
    );
  } catch (error) {
    integrity = (error as Error).message;
  }
  return {
    databaseBytes,
    freeBytes,
    lowDisk: freeBytes !== null && freeBytes < LOW_DISK_BYTES,
    integrity,
  };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** "1.4 MB": sizes for people. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** "3 d 4 h 5 min" from seconds. */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h ${m} min`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${s % 60} s`;
}
