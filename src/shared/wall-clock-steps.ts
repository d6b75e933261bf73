/**
 * Notices when the wall clock is stepped (NTP setting the time of a Pi that booted without a
 * real-time clock, or an admin's `date -s`): the wall clock moved by more than the monotonic
 * clock did since the last look. Times stored as wall-clock instants (a login's expiry) can
 * then be moved with the step, so a session is not ended by an hour that never passed.
 */
export class WallClockSteps {
  readonly #wallNow: () => number;
  readonly #monotonicNow: () => number;
  readonly #toleranceMs: number;
  #lastWall: number;
  #lastMonotonic: number;

  constructor(options: {
    wallNow: () => number;
    monotonicNow: () => number;
    /** Drift below this is ordinary slewing or timer jitter, not a step. */
    toleranceMs?: number;
  }) {
    this.#wallNow = options.wallNow;
    this.#monotonicNow = options.monotonicNow;
    this.#toleranceMs = options.toleranceMs ?? 60_000;
    this.#lastWall = this.#wallNow();
    this.#lastMonotonic = this.#monotonicNow();
  }

  /** The step (ms, negative when back) since the last call, or 0 when there was none. */
  step(): number {
    const wall = this.#wallNow();
    const monotonic = this.#monotonicNow();
    const step = wall - this.#lastWall - (monotonic - this.#lastMonotonic);
    this.#lastWall = wall;
    this.#lastMonotonic = monotonic;
    return Math.abs(step) >= this.#toleranceMs ? Math.round(step) : 0;
  }
}
