import { LinekeeperError } from '../shared/errors.js';

export class StorageError extends LinekeeperError {}

/** Maps SQLite's error codes to messages a technician can act on. */
export function storageError(action: string, file: string, error: unknown): StorageError {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new StorageError(
      'STORAGE_FULL',
      `${action} failed: the disk holding ${file} is full; free space (old logs, images) or move dataDir to a larger disk`,
      { cause: error },
    );
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new StorageError(
      'STORAGE_CORRUPT',
      `${action} failed: ${file} is damaged (${message}); stop linekeeper, move the file aside and restore a backup, or let it start a fresh database`,
      { cause: error },
    );
  }
  if (
    [
      'SQLITE_READONLY',
      'SQLITE_CANTOPEN',
      'SQLITE_PERM',
      'EACCES',
      'EPERM',
      'EROFS',
      'ENOTDIR',
      'EEXIST',
    ].includes(code)
  ) {
    return new StorageError(
      'STORAGE_UNWRITABLE',
      `${action} failed: cannot write ${file} (${message}); check that dataDir exists and belongs to the linekeeper user`,
      { cause: error },
    );
  }
  if (code === 'SQLITE_BUSY') {
    return new StorageError(
      'STORAGE_BUSY',
      `${action} failed: ${file} stayed locked by another process for too long`,
      { cause: error },
    );
  }
  return new StorageError('STORAGE_FAILED', `${action} failed on ${file}: ${message}`, {
    cause: error,
  });
}
