/**
 * Named relay roles from config. `line-select` is the fail-safe one: energised means the call
 * goes to the appliance; de-energised (power off, crash, watchdog) puts it on the front desk.
 */
export type RelayRole = 'line-select' | 'hook' | 'transfer' | 'status-led' | 'fault-led';

export const RELAY_ROLES: readonly RelayRole[] = [
  'line-select',
  'hook',
  'transfer',
  'status-led',
  'fault-led',
];

export interface Relays {
  readonly kind: string;
  start(): Promise<void>;
  /** De-energises every relay before returning: the line falls through to the front desk. */
  stop(): Promise<void>;
  set(role: RelayRole, energised: boolean): Promise<void>;
  get(role: RelayRole): boolean;
  /** Energise for `ms`, then release (hook flash, transfer pulse). */
  pulse(role: RelayRole, ms: number): Promise<void>;
}
