import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import type { GpioChipInfo } from '../gpio-chips/gpio-chip-info.js';
import { GpiodToolError } from '../relay-errors.js';

const run = promisify(execFile);

export interface GpiodToolsOptions {
  gpioset?: string;
  gpiodetect?: string;
  /**
   * util-linux `setpriv`, used to give each holder a parent-death signal: if linekeeper is
   * SIGKILLed outside systemd, its gpioset children must not keep line-select energised.
   * null runs gpioset directly.
   */
  setpriv?: string | null;
  /** How long a fresh holder must stay alive to count as holding the line. */
  settleMs?: number;
}

/** The line as gpioset addresses it; `value` is logical (active-low applied by gpioset). */
export interface GpiodLine {
  chip: string;
  offset: number;
  activeLow: boolean;
}

/**
 * The Debian `gpiod` tools, both dialects: v1 (Raspberry Pi OS bookworm: `gpioset
 * --mode=signal CHIP N=V`) and v2 (trixie: `gpioset -c CHIP N=V` holds until killed).
 */
export class GpiodTools {
  readonly gpioset: string;
  readonly #gpiodetect: string;
  readonly #setpriv: string | null;
  readonly #settleMs: number;
  #major: 1 | 2 | null = null;

  constructor(options: GpiodToolsOptions = {}) {
    this.gpioset = options.gpioset ?? 'gpioset';
    this.#gpiodetect = options.gpiodetect ?? 'gpiodetect';
    this.#setpriv = options.setpriv === undefined ? 'setpriv' : options.setpriv;
    this.#settleMs = options.settleMs ?? 100;
  }

  /** Reads `gpioset --version`; throws a typed error when the tools are not installed. */
  async probe(): Promise<1 | 2> {
    let text: string;
    try {
      text = (await run(this.gpioset, ['--version'], { timeout: 2000 })).stdout;
    } catch (error) {
      throw new GpiodToolError(
        `cannot run ${this.gpioset}: ${(error as Error).message}; install the gpiod tools (apt install gpiod) or set relays.driver to sysfs`,
        error,
      );
    }
    const match = /v(\d+)\.\d+/.exec(text);
    if (!match)
      throw new GpiodToolError(`unrecognised "${this.gpioset} --version" output: ${text.trim()}`);
    this.#major = match[1] === '1' ? 1 : 2;
    return this.#major;
  }

  /** Every chip gpiodetect lists: `gpiochip0 [pinctrl-bcm2711] (58 lines)`. */
  async detect(): Promise<GpioChipInfo[]> {
    let text: string;
    try {
      text = (await run(this.#gpiodetect, [], { timeout: 2000 })).stdout;
    } catch (error) {
      throw new GpiodToolError(
        `cannot run ${this.#gpiodetect}: ${(error as Error).message}`,
        error,
      );
    }
    return parseGpiodetect(text);
  }

  holdArgs(line: GpiodLine, energised: boolean): string[] {
    const value = `${line.offset}=${energised ? 1 : 0}`;
    const low = line.activeLow ? ['--active-low'] : [];
    return this.#dialect() === 1
      ? ['--mode=signal', ...low, line.chip, value]
      : ['--chip', line.chip, '--consumer', 'linekeeper', ...low, value];
  }

  /** Sets the line inactive and exits (for a release when nothing holds it any more). */
  releaseArgs(line: GpiodLine): string[] {
    const low = line.activeLow ? ['--active-low'] : [];
    return this.#dialect() === 1
      ? ['--mode=exit', ...low, line.chip, `${line.offset}=0`]
      : ['--chip', line.chip, '--toggle', '0', ...low, `${line.offset}=0`];
  }

  /** Starts a gpioset that holds the line until killed; resolves once it is holding. */
  async hold(line: GpiodLine, energised: boolean): Promise<ChildProcess> {
    const args = this.holdArgs(line, energised);
    const [command, argv] = this.#setpriv
      ? [this.#setpriv, ['--pdeathsig', 'KILL', '--', this.gpioset, ...args]]
      : [this.gpioset, args];
    const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // gpioset says nothing when it succeeds: a holder still alive after settleMs is holding.
    const outcome = await new Promise<'held' | Error>((resolve) => {
      const timer = setTimeout(() => resolve('held'), this.#settleMs);
      child.once('error', (error) => {
        clearTimeout(timer);
        resolve(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve(new Error(`exited with ${signal ?? `code ${code}`}: ${stderr.trim()}`));
      });
    });
    if (outcome !== 'held') {
      throw new GpiodToolError(
        `${this.gpioset} ${args.join(' ')} could not hold ${line.chip} line ${line.offset}: ${outcome.message}`,
        outcome,
      );
    }
    return child;
  }

  #dialect(): 1 | 2 {
    if (this.#major === null) throw new Error('GpiodTools used before probe()');
    return this.#major;
  }
}

export function parseGpiodetect(text: string): GpioChipInfo[] {
  const chips: GpioChipInfo[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+\[(.*)\]\s+\((\d+) lines\)/.exec(line.trim());
    if (m) chips.push({ name: m[1]!, label: m[2]!, base: 0, ngpio: Number(m[3]) });
  }
  return chips;
}
