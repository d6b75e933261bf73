import type { Clock } from '../../../shared/timer-clock.js';
import { TypedEmitter } from '../../../shared/typed-emitter.js';
import type { RingInput, RingInputEvents } from '../ring-input-port.js';

export interface BurstOptions {
  /** Ring frequency as an opto-coupler passes it: one pulse per cycle (half-wave). */
  pulseHz?: number;
  /** Contact bounces (a flip back and forth each) after every real edge, `bounceMs` apart. */
  bounceEdges?: number;
  bounceMs?: number;
}

/**
 * A ring-detect input driven by a script on the line's clock: ring bursts as pulse trains at
 * the ring frequency, with optional contact bounce, or single spikes.
 */
export class SimulatedRingInput implements RingInput {
  readonly kind = 'simulated';
  readonly events = new TypedEmitter<RingInputEvents>();
  readonly #clock: Clock;
  #level = false;
  #timers: unknown[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    for (const t of this.#timers) this.#clock.clearTimeout(t);
    this.#timers = [];
  }

  /** Sets the level now. */
  set(active: boolean): void {
    if (active === this.#level) return;
    this.#level = active;
    this.events.emit('edge', { active, atMs: this.#clock.now() });
  }

  /** Schedules one ring burst starting `afterMs` from now. */
  burst(durationMs: number, afterMs = 0, options: BurstOptions = {}): void {
    const period = 1000 / (options.pulseHz ?? 20);
    for (let t = 0; t + period / 2 <= durationMs; t += period) {
      this.#at(afterMs + t, true, options);
      this.#at(afterMs + t + period / 2, false, options);
    }
  }

  /** A cadence of on/off pairs (ms), repeated `cycles` times, starting `afterMs` from now. */
  cadence(pattern: number[], cycles: number, afterMs = 0, options: BurstOptions = {}): number {
    let t = afterMs;
    for (let c = 0; c < cycles; c++) {
      for (let i = 0; i < pattern.length; i += 2) {
        this.burst(pattern[i]!, t, options);
        t += pattern[i]! + (pattern[i + 1] ?? 0);
      }
    }
    return t;
  }

  #at(ms: number, active: boolean, options: BurstOptions): void {
    this.#timers.push(this.#clock.setTimeout(() => this.set(active), ms));
    const bounces = options.bounceEdges ?? 0;
    for (let i = 1; i <= 2 * bounces; i++) {
      const level = i % 2 === 1 ? !active : active;
      const at = ms + i * (options.bounceMs ?? 0.5);
      this.#timers.push(this.#clock.setTimeout(() => this.set(level), at));
    }
  }
}
