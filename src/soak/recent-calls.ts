/** Calls the harness placed from each number within a sliding window (wall time). */
export class RecentCalls {
  readonly #windowMs: number;
  readonly #times = new Map<string, number[]>();
  readonly #now: () => number;

  constructor(windowMs: number, now: () => number = Date.now) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  recent(number: string): number {
    const since = this.#now() - this.#windowMs;
    const kept = (this.#times.get(number) ?? []).filter((at) => at > since);
    this.#times.set(number, kept);
    return kept.length;
  }

  add(number: string): void {
    this.#times.set(number, [...(this.#times.get(number) ?? []), this.#now()]);
  }
}
