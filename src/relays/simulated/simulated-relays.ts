import type { Clock } from '../../shared/clock.js';
import { RELAY_ROLES, type RelayRole, type Relays } from '../relays-port.js';

/** Relays in memory, with a history of every change (tests assert the fail-safe order). */
export class SimulatedRelays implements Relays {
  readonly kind = 'simulated';
  readonly history: { role: RelayRole; energised: boolean; atMs: number }[] = [];
  readonly #state = new Map<RelayRole, boolean>(RELAY_ROLES.map((r) => [r, false]));
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    for (const role of RELAY_ROLES) if (this.get(role)) await this.set(role, false);
  }

  async set(role: RelayRole, energised: boolean): Promise<void> {
    this.#state.set(role, energised);
    this.history.push({ role, energised, atMs: this.#clock.now() });
  }

  get(role: RelayRole): boolean {
    return this.#state.get(role) ?? false;
  }

  async pulse(role: RelayRole, ms: number): Promise<void> {
    await this.set(role, true);
    await this.#clock.sleep(ms);
    await this.set(role, false);
  }
}
