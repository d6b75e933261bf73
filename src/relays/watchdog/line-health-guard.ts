import type { Line } from '../../line/line-port.js';
import type { Clock } from '../../shared/clock.js';
import type { Relays } from '../relays-port.js';
import type { StallReport } from './stall-watchdog-protocol.js';

/** Why the line is on the front desk. Any one of them releases line-select. */
export type ReleaseReason =
  | 'not-started'
  | 'stopping'
  | 'line-down'
  | 'storage-failed'
  | 'event-loop-stalled'
  | 'front-desk-forced';

/** The part of StallWatchdog the guard needs (tests pass their own). */
export interface StallSource {
  readonly events: {
    on(event: 'tripped', listener: (report: StallReport) => void): unknown;
  };
  tripped(): boolean;
  rearm(): void;
}

export interface LineHealthGuardOptions {
  relays: Relays;
  clock: Clock;
  /** After a stall, how long the loop must run before the appliance answers again; null: never. */
  recoverAfterMs?: number | null;
  /** Line-select changed (or failed to change): the composition root logs and publishes it. */
  onChange?: (change: { energised: boolean; reasons: ReleaseReason[]; error?: unknown }) => void;
}

/**
 * The one owner of line-select. It is energised only while no release reason holds; every
 * reason is set by a watcher (line state, storage, stall watchdog) or by the composition root.
 */
export class LineHealthGuard {
  readonly #options: LineHealthGuardOptions;
  readonly #reasons = new Set<ReleaseReason>(['not-started']);
  readonly #unsubscribers: (() => void)[] = [];
  #stalls: StallSource | null = null;
  #applying: Promise<void> = Promise.resolve();

  constructor(options: LineHealthGuardOptions) {
    this.#options = options;
  }

  reasons(): ReleaseReason[] {
    return [...this.#reasons];
  }

  /** Whether line-select should be energised right now. */
  healthy(): boolean {
    return this.#reasons.size === 0 && !this.#stalls?.tripped();
  }

  release(reason: ReleaseReason): Promise<void> {
    this.#reasons.add(reason);
    return this.#apply();
  }

  clear(reason: ReleaseReason): Promise<void> {
    this.#reasons.delete(reason);
    return this.#apply();
  }

  /** Line-select follows the line driver: released while the driver is down. */
  watchLine(line: Line): void {
    const follow = ({ state }: { state: string }) =>
      void (state === 'down' ? this.release('line-down') : this.clear('line-down'));
    line.events.on('state', follow);
    this.#unsubscribers.push(() => line.events.off('state', follow));
    if (line.state() === 'down') this.#reasons.add('line-down');
  }

  /** The worker already dropped the pin; this brings our own state in line with it. */
  watchStalls(stalls: StallSource): void {
    this.#stalls = stalls;
    stalls.events.on('tripped', () => {
      void this.release('event-loop-stalled');
      const recoverAfterMs = this.#options.recoverAfterMs ?? null;
      if (recoverAfterMs === null) return;
      void this.#options.clock.sleep(recoverAfterMs).then(() => {
        stalls.rearm();
        return this.clear('event-loop-stalled');
      });
    });
  }

  /** Waits for every queued change to reach the relay (tests, shutdown). */
  settled(): Promise<void> {
    return this.#applying;
  }

  unwatch(): void {
    for (const off of this.#unsubscribers.splice(0)) off();
  }

  #apply(): Promise<void> {
    // The wanted level is computed when the write runs, so a burst of changes ends on the last.
    const next = this.#applying.then(async () => {
      const energised = this.healthy();
      const reasons = this.reasons();
      if (this.#options.relays.get('line-select') === energised) return;
      try {
        await this.#options.relays.set('line-select', energised);
        this.#options.onChange?.({ energised, reasons });
      } catch (error) {
        this.#options.onChange?.({ energised, reasons, error });
      }
    });
    this.#applying = next;
    return next;
  }
}
