import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Debian's libfaketime (package `faketime`). The plain build, as the `faketime` command uses by
 * default: the MT build serialises every clock read behind a lock, which made Date.now() 25
 * times slower here (2.5 µs a call) and would inflate the soak's CPU-per-call figure.
 */
const LIBFAKETIME_PATHS = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/arm-linux-gnueabihf/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
];

/**
 * Steps the appliance's wall clock without root: the process runs with libfaketime preloaded,
 * reading its offset from a file this class rewrites ("+0", "+1h"). Only the wall clock
 * (CLOCK_REALTIME: Date.now(), new Date()) moves; CLOCK_MONOTONIC (performance.now(), timers)
 * is left alone, as on a box whose NTP daemon steps the clock or whose RTC-less boot sets it late.
 * libfaketime re-reads the file at most once a second, so a step lands within a second.
 */
export class ClockJumper {
  readonly #file: string;
  readonly #library: string;
  #offsetS = 0;

  private constructor(dir: string, library: string) {
    this.#file = join(dir, 'faketime-offset');
    this.#library = library;
    this.#write();
  }

  /** Null when libfaketime is not installed (apt-get install faketime): the fault is skipped. */
  static ifAvailable(dir: string): ClockJumper | null {
    const library = LIBFAKETIME_PATHS.find((p) => existsSync(p));
    return library ? new ClockJumper(dir, library) : null;
  }

  /** Environment for the appliance process (children such as espeak-ng inherit it: harmless). */
  get env(): NodeJS.ProcessEnv {
    return {
      LD_PRELOAD: this.#library,
      FAKETIME_TIMESTAMP_FILE: this.#file,
      FAKETIME_CACHE_DURATION: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    };
  }

  /** Seconds the appliance's wall clock is ahead of the real one. */
  get offsetS(): number {
    return this.#offsetS;
  }

  /** Moves the appliance's wall clock by `seconds` (negative: back) from where it is now. */
  step(seconds: number): void {
    this.#offsetS += seconds;
    this.#write();
  }

  #write(): void {
    const s = this.#offsetS;
    writeFileSync(this.#file, `${s >= 0 ? '+' : '-'}${Math.abs(s)}\n`);
  }
}
