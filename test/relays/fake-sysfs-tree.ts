import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeChip {
  label: string;
  base: number;
  ngpio: number;
}

/** Raspberry Pi 4 on kernel 6.6+: the header chip is numbered from 512, not 0. */
export const PI4_KERNEL_66: FakeChip[] = [
  { label: 'pinctrl-bcm2711', base: 512, ngpio: 58 },
  { label: 'raspberrypi-exp-gpio', base: 570, ngpio: 8 },
];

/**
 * A directory shaped like /sys/class/gpio, with a pretend kernel that answers writes to
 * `export` and `unexport` the way the real one does: by creating or removing `gpioN/`.
 * Polling, not inotify, so it also sees writes from child processes reliably.
 */
export class FakeSysfsTree {
  readonly root: string;
  readonly #chips: FakeChip[];
  #timer: NodeJS.Timeout | null = null;
  /** Every number the pretend kernel exported, in order. */
  readonly exported: number[] = [];

  constructor(chips: FakeChip[] = PI4_KERNEL_66) {
    this.root = mkdtempSync(join(tmpdir(), 'lk-sysfs-'));
    this.#chips = chips;
  }

  start(kernelResponds = true): this {
    for (const chip of this.#chips) {
      const dir = join(this.root, `gpiochip${chip.base}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'label'), `${chip.label}\n`);
      writeFileSync(join(dir, 'base'), `${chip.base}\n`);
      writeFileSync(join(dir, 'ngpio'), `${chip.ngpio}\n`);
    }
    writeFileSync(join(this.root, 'export'), '');
    writeFileSync(join(this.root, 'unexport'), '');
    if (kernelResponds) this.#timer = setInterval(() => this.#serviceWrites(), 2);
    return this;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    rmSync(this.root, { recursive: true, force: true });
  }

  file(number: number, name: 'value' | 'direction' | 'active_low'): string {
    return readFileSync(join(this.root, `gpio${number}`, name), 'utf8').trim();
  }

  /** The electrical level on the pin: what the relay board actually sees. */
  level(number: number): 0 | 1 {
    const logical = this.file(number, 'value') === '1';
    const activeLow = this.file(number, 'active_low') === '1';
    return logical !== activeLow ? 1 : 0;
  }

  isExported(number: number): boolean {
    return existsSync(join(this.root, `gpio${number}`));
  }

  /** Pretend an earlier process exported and drove the pin (what a SIGKILL leaves behind). */
  leaveDriven(number: number, value: '0' | '1', activeLow: '0' | '1' = '0'): void {
    const dir = join(this.root, `gpio${number}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'direction'), 'out');
    writeFileSync(join(dir, 'active_low'), activeLow);
    writeFileSync(join(dir, 'value'), value);
  }

  #serviceWrites(): void {
    for (const number of this.#take('export')) {
      const inRange = this.#chips.some((c) => number >= c.base && number < c.base + c.ngpio);
      if (!inRange || this.isExported(number)) continue;
      const dir = join(this.root, `gpio${number}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'direction'), 'in');
      writeFileSync(join(dir, 'active_low'), '0');
      writeFileSync(join(dir, 'value'), '0');
      this.exported.push(number);
    }
    for (const number of this.#take('unexport'))
      rmSync(join(this.root, `gpio${number}`), { recursive: true, force: true });
  }

  #take(name: string): number[] {
    const path = join(this.root, name);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return [];
    }
    if (text === '') return [];
    writeFileSync(path, '');
    return text
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .filter((n) => Number.isInteger(n));
  }
}
