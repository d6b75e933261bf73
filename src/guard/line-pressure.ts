/**
 * How fast strangers take the line once it is free, against the line's normal load. On a single
 * analogue line the busy signals other callers meet are invisible, and a flood of redialling
 * bots cannot raise the rate of answered calls above one per call length: counting calls per
 * ten minutes notices it only after several bots were answered. What does show is the idle time
 * before each call: under normal load strangers arrive at random, some minutes apart, while a
 * queue of redialling callers seizes the line within seconds of every hang-up.
 *
 * The test: for the last k stranger calls (every k up to `maxCalls`), the chance that calls at
 * the normal rate would have arrived k times within the idle time they actually left (a Poisson
 * tail). The smallest of these is the evidence; lower means stronger.
 */
export class LinePressure {
  readonly #windowMs: number;
  readonly #maxCalls: number;
  /** Recent stranger calls: when screened, and how long the line had been free before. */
  #calls: { atMs: number; idleMs: number }[] = [];

  constructor(windowMs: number, maxCalls = 10) {
    this.#windowMs = windowMs;
    this.#maxCalls = maxCalls;
  }

  /** A stranger's call, screened `idleMs` after the line came free. */
  record(atMs: number, idleMs: number): void {
    // A negative gap means the wall clock was stepped back (NTP, an RTC-less boot): the gap is
    // unknown, and taking it as 0 s would look like the strongest evidence of a flood.
    if (idleMs < 0) {
      this.reset();
      return;
    }
    this.#calls.push({ atMs, idleMs });
    if (this.#calls.length > this.#maxCalls) this.#calls.shift();
  }

  /** The line was never free since start (or the gap is unknown): earlier calls say nothing. */
  reset(): void {
    this.#calls = [];
  }

  /** The evidence described above, in (0, 1]; 1 when there is none. */
  pValue(nowMs: number, expectedPerHour: number): number {
    this.#calls = this.#calls.filter((c) => nowMs - c.atMs < this.#windowMs);
    const perMs = expectedPerHour / 3_600_000;
    let idle = 0;
    let best = 1;
    for (let k = 1; k <= this.#calls.length; k++) {
      idle += this.#calls[this.#calls.length - k]!.idleMs;
      best = Math.min(best, poissonAtLeast(k, perMs * idle));
    }
    return best;
  }
}

/** P(N >= k) for N ~ Poisson(mean), summed from k upwards so tiny tails stay exact. */
export function poissonAtLeast(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  // Past the mean the tail is the bulk: 1 minus the head, whose terms are summed in log space.
  // (exp(-mean) underflows to 0 above mean ~745, an idle line of 45 min at 1000 calls an hour
  // or 5 days at 6: the upward sum below would then call a long quiet spell a flood.)
  if (mean > k) return Math.max(0, 1 - poissonHead(k, mean));
  let term = Math.exp(-mean);
  for (let j = 1; j <= k; j++) term *= mean / j;
  let sum = 0;
  for (let j = k; j < k + 200 && term > sum * 1e-16; j++) {
    sum += term;
    term *= mean / (j + 1);
  }
  return Math.min(1, sum);
}

/** P(N < k) for N ~ Poisson(mean), each term exp(j ln mean - mean - ln j!) so none underflows early. */
function poissonHead(k: number, mean: number): number {
  let sum = 0;
  let logFactorial = 0;
  for (let j = 0; j < k; j++) {
    if (j > 0) logFactorial += Math.log(j);
    sum += Math.exp(j * Math.log(mean) - mean - logFactorial);
  }
  return Math.min(1, sum);
}
