import type { Clock } from '../../shared/timer-clock.js';
import type { DtmfDigit } from '../line-port.js';

export interface DtmfPress {
  digit: DtmfDigit;
  /** Clock time the key went down (or was reported, for modems without start/stop). */
  atMs: number;
  durationMs?: number;
}

/**
 * Turns DTMF events into key presses. Plain V.253 modems send `<DLE>5` once per press. Conexant
 * chips bracket it: `<DLE>/` (tone on), `<DLE>5`, `<DLE>~` (tone off), which gives the duration;
 * some repeat the digit while the key is held. A press is never lost: if the stop code does not
 * come (line noise ate it), the digit is released after `stopTimeoutMs` or at the next press.
 */
export class DtmfTracker {
  readonly #clock: Clock;
  readonly #stopTimeoutMs: number;
  readonly #emit: (press: DtmfPress) => void;
  #startedAt: number | undefined;
  #held: { digit: DtmfDigit; atMs: number } | undefined;
  #timer: unknown;

  constructor(clock: Clock, stopTimeoutMs: number, emit: (press: DtmfPress) => void) {
    this.#clock = clock;
    this.#stopTimeoutMs = stopTimeoutMs;
    this.#emit = emit;
  }

  start(): void {
    this.#release();
    this.#startedAt = this.#clock.now();
    this.#arm();
  }

  digit(digit: DtmfDigit): void {
    if (this.#startedAt === undefined) {
      this.#release();
      this.#emit({ digit, atMs: this.#clock.now() });
      return;
    }
    // A held key repeated inside one start/stop bracket is still one press.
    if (this.#held?.digit === digit) return;
    if (this.#held) this.#release();
    this.#held = { digit, atMs: this.#startedAt };
    this.#arm();
  }

  end(): void {
    if (this.#held) {
      const { digit, atMs } = this.#held;
      this.#held = undefined;
      this.#emit({ digit, atMs, durationMs: Math.max(0, this.#clock.now() - atMs) });
    }
    this.#clear();
  }

  /** Releases a held digit now (call ended, stream stopped). */
  flush(): void {
    this.#release();
  }

  #release(): void {
    if (this.#held) {
      const { digit, atMs } = this.#held;
      this.#held = undefined;
      this.#emit({ digit, atMs });
    }
    this.#clear();
  }

  #clear(): void {
    this.#startedAt = undefined;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#release();
    }, this.#stopTimeoutMs);
  }
}
