/**
 * Limits of the flood guard. Defaults suit a small clinic's single line (a few calls an hour);
 * the composition root maps config keys onto these (see docs/privacy.md, "Flood guard").
 */
export interface FloodGuardSettings {
  /** More calls than this from one number within the window are refused (allow-list excepted). */
  perCaller: { windowMs: number; maxCalls: number };
  flood: {
    /**
     * Calls counted for flood detection: every call from a number that is not allow-listed,
     * known or verified, refused ones included.
     */
    windowMs: number;
    /** Never call it a flood below this many calls in the window, whatever the baseline. */
    minCalls: number;
    /** A flood is this many times the line's normal load for the time of day. */
    factor: number;
    /** Normal load assumed until the guard has learnt its own (calls per hour). */
    normalCallsPerHour: number;
    /** The flood is over once the rate stayed below the threshold this long. */
    calmMs: number;
    /**
     * Line pressure (see LinePressure): how likely the line's normal load would leave as little
     * idle time before the recent strangers' calls as they left. Below `challengeBelow` strangers
     * are challenged without an alert (a false suspicion costs a new patient four key presses);
     * below `floodBelow` it is a flood. Chosen for false alarms, not for any one simulation:
     * per stranger call, roughly these probabilities times a few under normal load.
     */
    pressure: { challengeBelow: number; floodBelow: number };
  };
  /**
   * Callers without a number cannot be counted or blocked one by one: admit them, challenge
   * them only during a flood, always challenge them, or refuse them during a flood.
   */
  withheld: 'allow' | 'challenge-in-flood' | 'challenge' | 'refuse-in-flood';
  challenge: {
    /** Digits to press; a guessing bot passes one attempt with probability 10^-digits. */
    digits: number;
    /** Attempts per call (each with new digits): a person who misheard gets another go. */
    attempts: number;
    timeoutMs: number;
  };
  blocking: {
    /** Failed challenge calls from one number within `failureWindowMs` that block it. */
    maxFailures: number;
    /**
     * The same during a flood: each failed challenge call holds the line for most of a minute
     * while people are trying to get through; a person who failed both attempts is told to try
     * later anyway, and staff can lift a block on the dashboard.
     */
    maxFailuresInFlood: number;
    failureWindowMs: number;
    /** First block; each further block of the same number doubles, up to `maxBlockMs`. */
    blockMs: number;
    maxBlockMs: number;
  };
  /** A number that passed a challenge is not challenged again for this long. */
  verifiedForMs: number;
  /** A number that completed a call outside a flood counts as known (never challenged) this long. */
  knownForMs: number;
  /**
   * ...but only from this long after that first call: bots that got through before a flood was
   * noticed must not become trusted by calling again a few minutes later.
   */
  knownAfterMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DEFAULT_GUARD_SETTINGS: FloodGuardSettings = {
  perCaller: { windowMs: 15 * MINUTE, maxCalls: 4 },
  flood: {
    windowMs: 10 * MINUTE,
    minCalls: 6,
    factor: 3,
    normalCallsPerHour: 6,
    calmMs: 20 * MINUTE,
    pressure: { challengeBelow: 0.02, floodBelow: 1e-4 },
  },
  withheld: 'challenge-in-flood',
  challenge: { digits: 4, attempts: 2, timeoutMs: 8000 },
  blocking: {
    maxFailures: 2,
    maxFailuresInFlood: 1,
    failureWindowMs: 6 * HOUR,
    blockMs: HOUR,
    maxBlockMs: 7 * DAY,
  },
  verifiedForMs: 7 * DAY,
  knownForMs: 90 * DAY,
  knownAfterMs: 2 * HOUR,
};
