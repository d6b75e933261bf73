/**
 * Timestamps per key within a time window: calls per number, challenge failures per number.
 * Old entries are dropped on every touch so memory stays bounded by the window's traffic.
 */
export class SlidingCounter {
  readonly #windowMs: number;
  readonly #times = new Map<string, number[]>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  add(key: string, nowMs: number): number {
    const list = this.#fresh(key, nowMs);
    list.push(nowMs);
    this.#times.set(key, list);
    return list.length;
  }

  count(key: string, nowMs: number): number {
    return this.#fresh(key, nowMs).length;
  }

  clear(key: string): void {
    this.#times.delete(key);
  }

  /** Forgets keys with nothing left in the window (call now and then to bound memory). */
  prune(nowMs: number): void {
    for (const key of [...this.#times.keys()]) {
      if (this.#fresh(key, nowMs).length === 0) this.#times.delete(key);
    }
  }

  #fresh(key: string, nowMs: number): number[] {
    const list = this.#times.get(key) ?? [];
    const cutoff = nowMs - this.#windowMs;
    let drop = 0;
    while (drop < list.length && list[drop]! <= cutoff) drop++;
    if (drop > 0) list.splice(0, drop);
    // Times after now: the wall clock was stepped back (NTP). Kept, they would count for the
    // whole step (an hour) instead of one window; dropped, the window starts afresh.
    while (list.length > 0 && list[list.length - 1]! > nowMs) list.pop();
    if (list.length === 0) this.#times.delete(key);
    return list;
  }
}
