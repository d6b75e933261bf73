/**
 * Exponential backoff with jitter for reconnecting to the broker. The jitter matters when a
 * broker restarts under a clinic group's many appliances: they must not all return at once.
 */
export class ReconnectBackoff {
  readonly minMs: number;
  readonly maxMs: number;
  readonly #random: () => number;
  #failures = 0;

  constructor(minMs: number, maxMs: number, random: () => number = Math.random) {
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.#random = random;
  }

  get failures(): number {
    return this.#failures;
  }

  /** Delay before the next attempt: between half and all of min * 2^failures, capped. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.#failures, 30));
    this.#failures += 1;
    return Math.max(this.minMs, Math.round(ceiling / 2 + (this.#random() * ceiling) / 2));
  }

  reset(): void {
    this.#failures = 0;
  }
}
