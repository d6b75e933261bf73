import {
  chownSync,
  closeSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  mode: number;
  /** Owner to give the file (only applied when running as root). */
  owner?: { uid: number; gid: number };
}

/**
 * Writes a file so that a power cut leaves the old or the new content, never half of each:
 * a temporary file next to it, flushed, then renamed over it, and the directory flushed.
 */
export function writeFileAtomic(
  file: string,
  content: string | Uint8Array,
  options: AtomicWriteOptions,
): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temp, 'w', options.mode);
    try {
      // writeFileSync on a descriptor loops until every byte is written.
      writeFileSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.owner && process.getuid?.() === 0) {
      chownSync(temp, options.owner.uid, options.owner.gid);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDir(dirname(file));
}

/** Points `link` at `target` in one rename, so readers never see it missing. */
export function replaceSymlink(link: string, target: string): void {
  const temp = join(dirname(link), `.${basename(link)}.${process.pid}.tmp`);
  rmSync(temp, { force: true });
  symlinkSync(target, temp);
  try {
    renameSync(temp, link);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDir(dirname(link));
}

/** The owner and mode of an existing file, to keep them when replacing it. */
export function ownerAndMode(file: string): { uid: number; gid: number; mode: number } | null {
  try {
    const stat = statSync(file);
    return { uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o7777 };
  } catch {
    return null;
  }
}

/** Makes a rename or unlink in `dir` durable; a no-op where the file system refuses. */
export function syncDir(dir: string): void {
  // Some file systems (FAT on the boot partition among them) refuse fsync on a directory.
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {}
}
