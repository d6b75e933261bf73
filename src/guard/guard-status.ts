import { GUARD_OFF, type GuardStatus } from '../status/status-sink-port.js';
import type { FloodGuard } from './flood-guard.js';

/** The guard's part of the appliance status: flood since when, and what it did since. */
export function guardStatus(guard: FloodGuard | null): GuardStatus {
  if (!guard) return GUARD_OFF;
  const flood = guard.floodState();
  return {
    state: flood ? 'flood' : 'calm',
    floodSince: flood ? new Date(flood.startedAtMs).toISOString() : null,
    screened: flood?.screened ?? 0,
    challenged: flood?.challenged ?? 0,
    refused: flood?.refused ?? 0,
    blockedNumbers: guard.blocks().length,
  };
}
