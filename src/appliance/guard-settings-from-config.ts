import type { Config } from '../config/config-schema.js';
import { DEFAULT_GUARD_SETTINGS, type FloodGuardSettings } from '../guard/guard-settings.js';
import type { RetentionPolicy } from '../privacy/retention-policy.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Config (minutes, hours, days, as people write them) to the guard's milliseconds. */
export function guardSettingsFromConfig(g: Config['guard']): FloodGuardSettings {
  return {
    perCaller: { windowMs: g.perCaller.windowMinutes * MINUTE, maxCalls: g.perCaller.maxCalls },
    flood: {
      windowMs: g.flood.windowMinutes * MINUTE,
      minCalls: g.flood.minCalls,
      factor: g.flood.factor,
      normalCallsPerHour: g.flood.normalCallsPerHour,
      calmMs: g.flood.calmMinutes * MINUTE,
      // Not in the config: statistical thresholds, not a clinic's choice (docs/privacy.md).
      pressure: DEFAULT_GUARD_SETTINGS.flood.pressure,
    },
    withheld: g.withheld,
    challenge: {
      digits: g.challenge.digits,
      attempts: g.challenge.attempts,
      timeoutMs: g.challenge.timeoutSeconds * 1000,
    },
    blocking: {
      maxFailures: g.blocking.maxFailures,
      maxFailuresInFlood: Math.min(
        g.blocking.maxFailures,
        DEFAULT_GUARD_SETTINGS.blocking.maxFailuresInFlood,
      ),
      failureWindowMs: g.blocking.failureWindowHours * HOUR,
      blockMs: g.blocking.blockMinutes * MINUTE,
      maxBlockMs: g.blocking.maxBlockDays * DAY,
    },
    verifiedForMs: g.verifiedDays * DAY,
    knownForMs: g.knownDays * DAY,
    knownAfterMs: g.knownAfterHours * HOUR,
  };
}

export function retentionFromConfig(p: Config['privacy']): RetentionPolicy {
  return { ...p.retentionDays };
}
