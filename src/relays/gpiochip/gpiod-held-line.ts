import type { ChildProcess } from 'node:child_process';
import type { OutputLine } from '../gpio-relays.js';
import type { GpiodLine, GpiodTools } from './gpiod-tools.js';

/**
 * A line held by one long-running gpioset. The character device gives no way to change a
 * value from outside the holder, so a change replaces the holder; the Pi's pin controllers
 * keep the level in the few milliseconds between the two.
 */
export class GpiodHeldLine implements OutputLine {
  readonly #tools: GpiodTools;
  readonly #line: GpiodLine;
  /** Shared with the stall watchdog's worker, which kills the holder when the loop stalls. */
  readonly #pidCell: Int32Array;
  #holder: ChildProcess | null = null;
  #queue: Promise<void> = Promise.resolve();

  constructor(tools: GpiodTools, line: GpiodLine, pidCell: SharedArrayBuffer) {
    this.#tools = tools;
    this.#line = line;
    this.#pidCell = new Int32Array(pidCell);
  }

  write(energised: boolean): Promise<void> {
    // Changes are serialised: two holders for one line would fight with EBUSY.
    const next = this.#queue.then(async () => {
      await this.#release();
      this.#holder = await this.#tools.hold(this.#line, energised);
      Atomics.store(this.#pidCell, 0, this.#holder.pid ?? 0);
    });
    this.#queue = next.catch(() => {});
    return next;
  }

  close(): Promise<void> {
    const next = this.#queue.then(() => this.#release());
    this.#queue = next.catch(() => {});
    return next;
  }

  async #release(): Promise<void> {
    const holder = this.#holder;
    this.#holder = null;
    Atomics.store(this.#pidCell, 0, 0);
    if (!holder || holder.exitCode !== null || holder.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
    holder.kill('SIGTERM');
    await exited;
  }
}
