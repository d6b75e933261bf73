import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GpiodTools } from './gpiochip/gpiod-tools.js';
import { GpioUnavailableError } from './relay-errors.js';

export type GpioDriver = 'sysfs' | 'gpiochip';
export type GpioDriverChoice = GpioDriver | 'auto';

export interface ProbeOptions {
  /** Where `gpiochipN` device nodes live: /dev, or a temp dir in tests. */
  devDir: string;
  sysfsRoot: string;
  tools: GpiodTools;
}

/**
 * The character device when it is there and the gpiod tools run (sysfs GPIO is deprecated and
 * may be compiled out), else sysfs, else a clear error. Runs only for `relays.driver: auto`.
 */
export async function probeRelayDriver(options: ProbeOptions): Promise<GpioDriver> {
  const chardev = hasChardev(options.devDir);
  let toolsProblem: string | null = null;
  if (chardev) {
    try {
      await options.tools.probe();
      return 'gpiochip';
    } catch (error) {
      toolsProblem = (error as Error).message;
    }
  }
  if (existsSync(join(options.sysfsRoot, 'export'))) return 'sysfs';
  throw new GpioUnavailableError(
    chardev
      ? `${options.devDir}/gpiochip* exists but ${toolsProblem}, and there is no ${options.sysfsRoot}/export`
      : `neither ${options.devDir}/gpiochip* nor ${options.sysfsRoot}/export exists (not a Raspberry Pi, or GPIO not passed into this container)`,
  );
}

function hasChardev(devDir: string): boolean {
  try {
    return readdirSync(devDir).some((name) => /^gpiochip\d+$/.test(name));
  } catch {
    return false;
  }
}
