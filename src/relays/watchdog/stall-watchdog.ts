import { Worker } from 'node:worker_threads';
import { LinekeeperError } from '../../shared/errors.js';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import type { FailSafePlan } from './fail-safe-plan.js';
import {
  BEAT,
  CELL_COUNT,
  type StallReport,
  TRIPPED,
  type WorkerMessage,
} from './stall-watchdog-protocol.js';

export interface StallWatchdogOptions {
  /** What the worker does to drop line-select; null only notifies. */
  plan: FailSafePlan | null;
  /** Main-thread silence that counts as a stall. */
  stallMs?: number;
  heartbeatMs?: number;
  /** How often the worker looks; worst-case release is about stallMs + checkMs. */
  checkMs?: number;
}

export interface StallWatchdogEvents {
  /** Delivered once the main thread runs again; the line was released long before. */
  tripped: StallReport;
}

// Compiled code runs the .js worker; tests run the .ts source through tap's loader, which
// worker threads inherit through process.execArgv.
const WORKER_URL = new URL(
  `./stall-watchdog-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/**
 * Notices when the main thread's event loop stops turning and releases line-select from a
 * worker thread. The heartbeat is a counter in shared memory: it needs no message passing,
 * which would itself depend on the stalled loop.
 */
export class StallWatchdog {
  readonly events = new TypedEmitter<StallWatchdogEvents>();
  readonly #options: Required<StallWatchdogOptions>;
  readonly #cells = new Int32Array(new SharedArrayBuffer(CELL_COUNT * 4));
  #worker: Worker | null = null;
  #heartbeat: NodeJS.Timeout | null = null;

  constructor(options: StallWatchdogOptions) {
    this.#options = { stallMs: 500, heartbeatMs: 50, checkMs: 20, ...options };
  }

  async start(): Promise<void> {
    const { plan, stallMs, checkMs, heartbeatMs } = this.#options;
    const worker = new Worker(WORKER_URL, {
      workerData: { cells: this.#cells.buffer, plan, stallMs, checkMs },
    });
    this.#worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.on('error', (error) =>
        reject(
          new LinekeeperError(
            'WATCHDOG_START_FAILED',
            `the stall watchdog thread did not start: ${error.message}`,
            { cause: error },
          ),
        ),
      );
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'armed') resolve();
        else this.events.emit('tripped', message.report);
      });
    });
    this.#heartbeat = setInterval(() => Atomics.add(this.#cells, BEAT, 1), heartbeatMs);
    // Neither the worker nor the heartbeat may keep a finished process alive.
    this.#heartbeat.unref();
    worker.unref();
  }

  /** True from the moment the worker released the line until `rearm()`. */
  tripped(): boolean {
    return Atomics.load(this.#cells, TRIPPED) === 1;
  }

  /** Lets the worker act again after the appliance recovered from a stall. */
  rearm(): void {
    Atomics.store(this.#cells, TRIPPED, 0);
  }

  async stop(): Promise<void> {
    // The worker goes first: a stopped heartbeat must not look like a stall.
    await this.#worker?.terminate();
    this.#worker = null;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }
}
