import type { Clock } from '../../shared/timer-clock.js';
import type { RingCadenceOptions } from './soundcard-options.js';

export interface RingDetectorCallbacks {
  /** A new ring burst began; `count` is 1 for the first ring of a call. */
  ring: (count: number, atMs: number) => void;
  /** No ring for `ringGapMs`: the call attempt is over. */
  gone: () => void;
}

/**
 * Turns the ring-detect input's raw edges into rings. Opto-coupler detectors pulse at the ring
 * frequency, some hold a level, contacts bounce, and a line reversal or hook transient gives a
 * single spike. So: an edge counts once its level has held for `debounceMs`; pulses closer than
 * `pulseGapMs` form one burst; a burst must last `minBurstMs` to be a ring; bursts closer than
 * `mergeGapMs` are one ring (UK double ring); the count resets after `ringGapMs` of quiet.
 */
export class RingDetector {
  readonly #clock: Clock;
  readonly #o: RingCadenceOptions;
  readonly #callbacks: RingDetectorCallbacks;
  #count = 0;
  #level = false;
  #pendingLevel = false;
  #debounceTimer: unknown;
  #burstStart: number | undefined;
  #burstCounted = false;
  #lastActivity = 0;
  #lastRingBurstEnd = Number.NEGATIVE_INFINITY;
  #burstTimer: unknown;
  #gapTimer: unknown;

  constructor(clock: Clock, options: RingCadenceOptions, callbacks: RingDetectorCallbacks) {
    this.#clock = clock;
    this.#o = options;
    this.#callbacks = callbacks;
  }

  get count(): number {
    return this.#count;
  }

  /** A raw level change from the RingInput. */
  edge(active: boolean, atMs: number): void {
    this.#pendingLevel = active;
    this.#clear('debounce');
    if (active === this.#level) return;
    if (this.#o.debounceMs === 0) {
      this.#accept(active, atMs);
      return;
    }
    this.#debounceTimer = this.#clock.setTimeout(() => {
      this.#debounceTimer = undefined;
      if (this.#pendingLevel === active) this.#accept(active, atMs);
    }, this.#o.debounceMs);
  }

  /** Answered, taken elsewhere or stopped: the next ring is ring 1 of a new call. */
  reset(): void {
    this.#count = 0;
    this.#burstStart = undefined;
    this.#burstCounted = false;
    this.#lastRingBurstEnd = Number.NEGATIVE_INFINITY;
    this.#clear('debounce');
    this.#clear('burst');
    this.#clear('gap');
  }

  #accept(active: boolean, atMs: number): void {
    this.#level = active;
    this.#lastActivity = atMs;
    if (active && this.#burstStart === undefined) this.#burstStart = atMs;
    this.#checkBurst();
    this.#armBurstEnd();
  }

  #checkBurst(): void {
    const start = this.#burstStart;
    if (start === undefined || this.#burstCounted) return;
    const now = this.#clock.now();
    const lasted = (this.#level ? now : this.#lastActivity) - start;
    if (lasted < this.#o.minBurstMs) {
      // A level held active with no further edges is still ringing: look again later.
      if (this.#level) this.#armBurstEnd(this.#o.minBurstMs - lasted);
      return;
    }
    this.#burstCounted = true;
    this.#clear('gap');
    if (start - this.#lastRingBurstEnd > this.#o.mergeGapMs) {
      this.#count++;
      this.#callbacks.ring(this.#count, start);
    }
  }

  #armBurstEnd(after = this.#o.pulseGapMs): void {
    this.#clear('burst');
    this.#burstTimer = this.#clock.setTimeout(() => {
      this.#burstTimer = undefined;
      if (this.#level) {
        this.#checkBurst();
        this.#armBurstEnd();
        return;
      }
      this.#checkBurst();
      if (this.#burstCounted) this.#lastRingBurstEnd = this.#lastActivity;
      this.#burstStart = undefined;
      this.#burstCounted = false;
      if (this.#count > 0) this.#armGap();
    }, after);
  }

  #armGap(): void {
    this.#clear('gap');
    this.#gapTimer = this.#clock.setTimeout(() => {
      this.#gapTimer = undefined;
      this.reset();
      this.#callbacks.gone();
    }, this.#o.ringGapMs);
  }

  #clear(which: 'debounce' | 'burst' | 'gap'): void {
    const handle =
      which === 'debounce'
        ? this.#debounceTimer
        : which === 'burst'
          ? this.#burstTimer
          : this.#gapTimer;
    if (handle !== undefined) this.#clock.clearTimeout(handle);
    if (which === 'debounce') this.#debounceTimer = undefined;
    else if (which === 'burst') this.#burstTimer = undefined;
    else this.#gapTimer = undefined;
  }
}
