const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The line's normal load at this time of day, learnt from calls on the previous days: the mean
 * number of calls in the hour around the same moment over the last `days` days. Comparing
 * against the same moment of earlier days (not the clock hour) needs no time zone and copes
 * with a clinic whose busy hour is 8 to 9. Calls during a flood are not fed in, so a long
 * flood does not teach the guard that floods are normal.
 */
export class LoadBaseline {
  readonly #days: number;
  #arrivals: number[] = [];

  constructor(days = 7) {
    this.#days = days;
  }

  record(atMs: number): void {
    // Arrivals come in time order, except when seeded from history: keep the list sorted.
    const list = this.#arrivals;
    if (list.length === 0 || list[list.length - 1]! <= atMs) list.push(atMs);
    else list.splice(this.#indexOf(atMs), 0, atMs);
  }

  /** Mean calls per hour around `nowMs` on earlier days; null until a full day is known. */
  expectedPerHour(nowMs: number): number | null {
    this.#prune(nowMs);
    const first = this.#arrivals[0];
    if (first === undefined || nowMs - first < DAY) return null;
    let total = 0;
    let days = 0;
    for (let k = 1; k <= this.#days; k++) {
      const centre = nowMs - k * DAY;
      if (centre - HOUR / 2 < first - HOUR) break;
      total += this.#countBetween(centre - HOUR / 2, centre + HOUR / 2);
      days++;
    }
    return days === 0 ? null : total / days;
  }

  #prune(nowMs: number): void {
    const cutoff = nowMs - (this.#days + 1) * DAY;
    const drop = this.#indexOf(cutoff);
    if (drop > 0) this.#arrivals.splice(0, drop);
  }

  #countBetween(fromMs: number, toMs: number): number {
    return this.#indexOf(toMs) - this.#indexOf(fromMs);
  }

  /** First index with a value >= atMs (binary search). */
  #indexOf(atMs: number): number {
    let lo = 0;
    let hi = this.#arrivals.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#arrivals[mid]! < atMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
