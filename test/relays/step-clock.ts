import type { Clock } from '../../src/shared/clock.js';

/**
 * A shared/clock.ts Clock for code that also does real I/O: time moves only on `advance`, and
 * `waitForSleeper` lets the test wait (in real time) until the code under test is asleep.
 */
export class StepClock implements Clock {
  #now = 0;
  #sleepers: { at: number; resolve: (v: 'timeout' | 'aborted') => void }[] = [];

  now(): number {
    return this.#now;
  }

  monotonicNow(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<'timeout' | 'aborted'> {
    if (signal?.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      this.#sleepers.push({ at: this.#now + ms, resolve });
      signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
  }

  async waitForSleeper(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#sleepers.length === 0) {
      if (Date.now() > deadline) throw new Error('nothing went to sleep on the clock');
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  advance(ms: number): void {
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.at <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.#now);
    for (const s of due) s.resolve('timeout');
  }
}
