import type { RelayRole } from './relays-port.js';

/** Which BCM pin drives each relay role (absent when not wired) and the board's polarity. */
export interface RelayWiring {
  pins: Partial<Record<RelayRole, number>>;
  /** Relay boards that switch on a low input (most opto-isolated ones) need true. */
  activeLow: boolean;
}

/** The `relays.pins` block of the config, keyed in camelCase with null for "not wired". */
export interface ConfigRelayPins {
  lineSelect: number | null;
  hook: number | null;
  transfer: number | null;
  statusLed: number | null;
  faultLed: number | null;
}

const ROLE_BY_KEY: Record<keyof ConfigRelayPins, RelayRole> = {
  lineSelect: 'line-select',
  hook: 'hook',
  transfer: 'transfer',
  statusLed: 'status-led',
  faultLed: 'fault-led',
};

export function wiringFromConfig(relays: {
  pins: ConfigRelayPins;
  activeLow: boolean;
}): RelayWiring {
  const pins: RelayWiring['pins'] = {};
  for (const [key, role] of Object.entries(ROLE_BY_KEY) as [keyof ConfigRelayPins, RelayRole][]) {
    const pin = relays.pins[key];
    if (pin !== null) pins[role] = pin;
  }
  return { pins, activeLow: relays.activeLow };
}

/** Wired roles, line-select first: it is the one that must be safe earliest and latest. */
export function wiredRoles(wiring: RelayWiring): [RelayRole, number][] {
  const entries = Object.entries(wiring.pins) as [RelayRole, number][];
  return entries.sort(([a], [b]) => Number(b === 'line-select') - Number(a === 'line-select'));
}
