import { constants } from 'node:fs';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutputLine } from '../gpio-relays.js';
import { SysfsGpioError } from '../relay-errors.js';
import { sysfsPinDirOf } from './sysfs-paths.js';

const EXPORT_POLL_MS = 5;

/**
 * One pin through the sysfs GPIO files (`export`, `gpioN/{active_low,direction,value}`).
 * The kernel's `active_low` attribute carries the board's polarity, so "0" in `value` always
 * means de-energised: a release after a crash can write "0" without knowing the config.
 */
export class SysfsGpioPin implements OutputLine {
  readonly #root: string;
  readonly #number: number;
  readonly #activeLow: boolean;
  readonly #exportTimeoutMs: number;

  constructor(root: string, number: number, activeLow: boolean, exportTimeoutMs = 2000) {
    this.#root = root;
    this.#number = number;
    this.#activeLow = activeLow;
    this.#exportTimeoutMs = exportTimeoutMs;
  }

  get valuePath(): string {
    return join(sysfsPinDirOf(this.#root, this.#number), 'value');
  }

  /** Exports the pin if needed and makes it an output at the de-energised level. */
  async claim(): Promise<void> {
    const dir = sysfsPinDirOf(this.#root, this.#number);
    if (!(await isWritable(join(dir, 'value')))) {
      await write(
        join(this.#root, 'export'),
        String(this.#number),
        `exporting GPIO ${this.#number} via`,
      );
      await this.#waitForExport(dir);
    }
    await write(join(dir, 'active_low'), this.#activeLow ? '1' : '0', 'setting polarity in');
    // "out" makes the kernel drive logical 0 (active_low applied) with no glitch to 1 first.
    await write(join(dir, 'direction'), 'out', 'making the pin an output in');
    await this.write(false);
  }

  async write(energised: boolean): Promise<void> {
    await write(this.valuePath, energised ? '1' : '0', 'switching the relay in');
  }

  async read(): Promise<boolean> {
    try {
      return (await readFile(this.valuePath, 'utf8')).trim() === '1';
    } catch (error) {
      throw new SysfsGpioError('reading', this.valuePath, error);
    }
  }

  /** The pin stays exported and de-energised, as a restart or `relays release` expects it. */
  async close(): Promise<void> {}

  async #waitForExport(dir: string): Promise<void> {
    // udev fixes the new files' group and mode a moment after the kernel creates them.
    const deadline = Date.now() + this.#exportTimeoutMs;
    const files = ['value', 'direction', 'active_low'].map((f) => join(dir, f));
    for (;;) {
      const ready = await Promise.all(files.map(isWritable));
      if (ready.every(Boolean)) return;
      if (Date.now() >= deadline) {
        throw new SysfsGpioError(
          `waiting ${this.#exportTimeoutMs} ms for the kernel and udev to create writable files in`,
          dir,
          new Error('timed out: is the pin claimed by a dtoverlay, or the gpio udev rule missing?'),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, EXPORT_POLL_MS));
    }
  }
}

async function isWritable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function write(path: string, text: string, action: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new SysfsGpioError(action, path, error);
  }
}
