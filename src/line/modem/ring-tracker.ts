import type { Clock } from '../../shared/timer-clock.js';
import type { CallerId } from '../line-port.js';
import { CallerIdAssembler } from './caller-id.js';
import type { RawCallerIdFields } from './caller-id-message.js';

export interface RingTrackerCallbacks {
  ring: (count: number) => void;
  callerId: (callerId: CallerId) => void;
  /** Rings stopped without an answer: the caller gave up or someone answered elsewhere. */
  gone: () => void;
}

/** Caller ID fields that keep coming this long after the last one are not going to come. */
export const CALLER_ID_SETTLE_MS = 1000;

/**
 * Counts the rings of one incoming call and gathers its caller ID, which arrives between the
 * first and second ring. A ring gap longer than `ringGapMs` ends the call attempt.
 */
export class RingTracker {
  readonly #clock: Clock;
  readonly #ringGapMs: number;
  readonly #callbacks: RingTrackerCallbacks;
  readonly #wallClock: () => Date;
  readonly #callerId = new CallerIdAssembler();
  #count = 0;
  #gapTimer: unknown;
  #settleTimer: unknown;

  constructor(
    clock: Clock,
    ringGapMs: number,
    callbacks: RingTrackerCallbacks,
    wallClock = () => new Date(),
  ) {
    this.#clock = clock;
    this.#ringGapMs = ringGapMs;
    this.#callbacks = callbacks;
    this.#wallClock = wallClock;
  }

  get count(): number {
    return this.#count;
  }

  ring(): void {
    this.flushCallerId();
    this.#count++;
    this.#restartGap();
    this.#callbacks.ring(this.#count);
  }

  callerIdFields(fields: RawCallerIdFields): void {
    this.#callerId.add(fields);
    if (this.#settleTimer !== undefined) this.#clock.clearTimeout(this.#settleTimer);
    this.#settleTimer = this.#clock.setTimeout(() => {
      this.#settleTimer = undefined;
      this.flushCallerId();
    }, CALLER_ID_SETTLE_MS);
    // Caller ID before any ring (UK-style signalling) still belongs to the coming call.
    if (this.#count > 0) this.#restartGap();
  }

  /** Emits the caller ID gathered so far, if any. */
  flushCallerId(): void {
    if (this.#settleTimer !== undefined) this.#clock.clearTimeout(this.#settleTimer);
    this.#settleTimer = undefined;
    const callerId = this.#callerId.take(this.#wallClock());
    if (callerId) this.#callbacks.callerId(callerId);
  }

  /** The call was answered, taken elsewhere, or the line went down: start afresh. */
  reset(): void {
    this.#count = 0;
    if (this.#gapTimer !== undefined) this.#clock.clearTimeout(this.#gapTimer);
    if (this.#settleTimer !== undefined) this.#clock.clearTimeout(this.#settleTimer);
    this.#gapTimer = undefined;
    this.#settleTimer = undefined;
    this.#callerId.reset();
  }

  #restartGap(): void {
    if (this.#gapTimer !== undefined) this.#clock.clearTimeout(this.#gapTimer);
    this.#gapTimer = this.#clock.setTimeout(() => {
      this.#gapTimer = undefined;
      const hadRings = this.#count > 0;
      this.reset();
      if (hadRings) this.#callbacks.gone();
    }, this.#ringGapMs);
  }
}
