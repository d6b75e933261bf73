/**
 * Runs an async task every `everyMs`, never two at once: a slow round (a download while the
 * machine is loaded) delays the next instead of piling up requests on the appliance.
 */
export class RepeatingTask {
  readonly #task: () => Promise<void>;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(task: () => Promise<void>) {
    this.#task = task;
  }

  start(everyMs: number): void {
    if (everyMs <= 0) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.#task().finally(() => {
        this.#running = null;
      });
    }, everyMs);
  }

  /** Stops the timer and waits for a round in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }
}
