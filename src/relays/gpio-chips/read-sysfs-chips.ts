import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SysfsGpioError } from '../relay-errors.js';
import type { GpioChipInfo } from './gpio-chip-info.js';

/**
 * Every `gpiochipN` directory under a sysfs GPIO class root (normally /sys/class/gpio), with
 * label, base and ngpio as the running kernel reports them. Kernel 6.6+ numbers the Pi's chip
 * from 512 or more, so nothing about the numbering is assumed.
 */
export async function readSysfsChips(root: string): Promise<GpioChipInfo[]> {
  let names: string[];
  try {
    names = (await readdir(root)).filter((n) => /^gpiochip\d+$/.test(n));
  } catch (error) {
    throw new SysfsGpioError('listing GPIO chips in', root, error);
  }
  const chips: GpioChipInfo[] = [];
  for (const name of names) {
    const dir = join(root, name);
    const read = async (file: string) => (await readFile(join(dir, file), 'utf8')).trim();
    try {
      const [label, base, ngpio] = await Promise.all([read('label'), read('base'), read('ngpio')]);
      chips.push({ name, label, base: Number(base), ngpio: Number(ngpio) });
    } catch (error) {
      throw new SysfsGpioError('reading chip attributes in', dir, error);
    }
  }
  return chips.sort((a, b) => a.base - b.base);
}
