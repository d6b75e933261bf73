import { execFile } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A full disk without touching the machine's disks: the appliance's dataDir is a small tmpfs of
 * its own, and "full" is a ballast file grown until the kernel says ENOSPC. Needs root (mount);
 * `mountIfPossible` returns null otherwise and the soak skips the fault.
 */
export class DiskFiller {
  readonly #dir: string;
  readonly #ballast: string;

  private constructor(directory: string) {
    this.#dir = directory;
    this.#ballast = join(directory, 'soak-ballast');
  }

  static async mountIfPossible(directory: string, sizeMb: number): Promise<DiskFiller | null> {
    if (process.getuid?.() !== 0) return null;
    mkdirSync(directory, { recursive: true });
    try {
      await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', directory]);
    } catch {
      return null;
    }
    return new DiskFiller(directory);
  }

  async fill(): Promise<void> {
    const fd = openSync(this.#ballast, 'w');
    const chunk = Buffer.alloc(1 << 20, 0x5a);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      // Fill the last partial megabyte too, so even a small page write fails.
      const small = Buffer.alloc(4096, 0x5a);
      try {
        for (;;) writeSync(fd, small);
      } catch {}
    } finally {
      closeSync(fd);
    }
  }

  async release(): Promise<void> {
    rmSync(this.#ballast, { force: true });
  }

  async unmount(): Promise<void> {
    await this.release();
    await run('umount', ['-l', this.#dir]).catch(() => {});
  }
}
