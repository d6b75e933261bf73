/**
 * Runs async jobs one after another. A libvosk recogniser is not thread-safe, and koffi's async
 * calls run on a pool of threads: without this, two chunks of one call could be decoded at once.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  get pending(): number {
    return this.#pending;
  }

  run<T>(job: () => Promise<T> | T): Promise<T> {
    this.#pending++;
    const next = this.#tail.then(job).finally(() => {
      this.#pending--;
    });
    // The chain must survive a failed job; the caller still sees the rejection.
    this.#tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every job queued so far has settled. */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
