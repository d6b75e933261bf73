import type { Clock } from '../shared/clock.js';
import type { RelayWiring } from './relay-wiring.js';
import { wiredRoles } from './relay-wiring.js';
import { RELAY_ROLES, type RelayRole, type Relays } from './relays-port.js';
import type { FailSafePlan } from './watchdog/fail-safe-plan.js';

/** One claimed output pin. `write(false)` is the de-energised, fail-safe level. */
export interface OutputLine {
  write(energised: boolean): Promise<void>;
  /** Gives the pin up; it is left de-energised by the caller first. */
  close(): Promise<void>;
}

/** How one GPIO interface (sysfs, character device) claims pins. */
export interface RelayBackend {
  readonly kind: 'sysfs' | 'gpiochip';
  /** Finds the header's GPIO chip; throws a typed error when it is missing. */
  prepare(): Promise<void>;
  /** Claims the pin as an output at the de-energised level. */
  open(role: RelayRole, bcm: number): Promise<OutputLine>;
  /** How another thread or process can de-energise `role` without this one's help. */
  failSafePlan(role: RelayRole): FailSafePlan | null;
}

/**
 * Relays on real GPIO pins. Roles without a pin in the config are kept in memory only, so the
 * rest of the appliance behaves the same whether or not, say, a status LED is fitted.
 */
export class GpioRelays implements Relays {
  readonly kind: string;
  readonly #backend: RelayBackend;
  readonly #wiring: RelayWiring;
  readonly #clock: Clock;
  readonly #lines = new Map<RelayRole, OutputLine>();
  readonly #state = new Map<RelayRole, boolean>(RELAY_ROLES.map((r) => [r, false]));

  constructor(backend: RelayBackend, wiring: RelayWiring, clock: Clock) {
    this.kind = backend.kind;
    this.#backend = backend;
    this.#wiring = wiring;
    this.#clock = clock;
  }

  async start(): Promise<void> {
    await this.#backend.prepare();
    for (const [role, bcm] of wiredRoles(this.#wiring)) {
      this.#lines.set(role, await this.#backend.open(role, bcm));
    }
  }

  async stop(): Promise<void> {
    const failures: unknown[] = [];
    for (const [role] of wiredRoles(this.#wiring)) {
      const line = this.#lines.get(role);
      if (!line) continue;
      // Every pin gets its chance to drop even if an earlier one failed.
      await line.write(false).catch((error: unknown) => failures.push(error));
      await line.close().catch((error: unknown) => failures.push(error));
      this.#state.set(role, false);
    }
    this.#lines.clear();
    if (failures.length > 0) throw failures[0];
  }

  async set(role: RelayRole, energised: boolean): Promise<void> {
    await this.#lines.get(role)?.write(energised);
    this.#state.set(role, energised);
  }

  get(role: RelayRole): boolean {
    return this.#state.get(role) ?? false;
  }

  async pulse(role: RelayRole, ms: number): Promise<void> {
    await this.set(role, true);
    try {
      await this.#clock.sleep(ms);
    } finally {
      await this.set(role, false);
    }
  }

  /** What the stall watchdog's worker does to drop line-select; null when it is not wired. */
  failSafePlan(): FailSafePlan | null {
    return this.#lines.has('line-select') ? this.#backend.failSafePlan('line-select') : null;
  }
}
