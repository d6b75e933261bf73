import type { Clock } from './clock.js';
import { LinekeeperError } from './errors.js';

interface Timer {
  at: number;
  seq: number;
  resolve: (value: 'timeout' | 'aborted') => void;
}

/**
 * A clock that jumps straight to the next timer whenever nothing else is left to do. Used by
 * `linekeeper simulate` and tests: a call with 6-second timeouts finishes in milliseconds,
 * and the same inputs always give the same timeline.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Virtual time never jumps backwards: the same timeline serves for durations. */
  monotonicNow(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<'timeout' | 'aborted'> {
    if (signal?.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      const onAbort = () => {
        const index = this.#timers.indexOf(timer);
        if (index >= 0) this.#timers.splice(index, 1);
        resolve('aborted');
      };
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: (value) => {
          // Long-lived signals (a whole call) see many sleeps: do not pile up listeners.
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
      };
      this.#timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Drives `work` to completion, advancing time only when all pending callbacks have run. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    while (!settled) {
      await drainCallbacks();
      if (settled) break;
      const next = this.#popEarliest();
      if (!next) {
        throw new LinekeeperError(
          'SIMULATION_STALLED',
          'simulation stalled: the call waits for something that no timer or input will ever bring',
        );
      }
      this.#now = next.at;
      next.resolve('timeout');
    }
    return work;
  }

  #popEarliest(): Timer | undefined {
    let best = -1;
    for (let i = 0; i < this.#timers.length; i++) {
      const t = this.#timers[i]!;
      const b = this.#timers[best];
      if (!b || t.at < b.at || (t.at === b.at && t.seq < b.seq)) best = i;
    }
    return best < 0 ? undefined : this.#timers.splice(best, 1)[0];
  }
}

async function drainCallbacks(): Promise<void> {
  // A few turns of the event loop let promise chains that hop through setImmediate settle too.
  for (let i = 0; i < 4; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
