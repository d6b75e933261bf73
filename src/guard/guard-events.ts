import type { PseudonymousCaller } from '../call/call-record.js';

export type AdmitReason = 'allow-list' | 'known' | 'verified' | 'normal-load';
export type ChallengeReason = 'flood' | 'line-pressure' | 'withheld' | 'recent-failure';
export type RefuseReason = 'block-list' | 'blocked' | 'caller-limit' | 'withheld';

/** What the call desk does with a ringing call, decided before it is answered. */
export type ScreenVerdict =
  | { action: 'admit'; reason: AdmitReason }
  | { action: 'challenge'; reason: ChallengeReason }
  | { action: 'refuse'; reason: RefuseReason };

/** A number blocked for failing challenges; persisted so a restart does not lift it. */
export interface GuardBlock {
  hash: string;
  hint: string | null;
  untilMs: number;
  /** How many times this number has been blocked: each block lasts twice the one before. */
  level: number;
  reason: 'challenge-failures';
}

/**
 * What the guard reports. Payloads are pseudonymous (hash and last two digits), like call
 * events: they go to MQTT, the dashboard and the log as they are.
 */
export interface GuardEvents {
  'call-screened': { atMs: number; caller: PseudonymousCaller; verdict: ScreenVerdict };
  'flood-started': {
    atMs: number;
    /** What gave it away: strangers' calls per window, or how little idle time they left. */
    trigger: 'rate' | 'line-pressure';
    /** Strangers' calls in the window. */
    callsInWindow: number;
    /** How likely normal load would leave the line as little idle time (see LinePressure). */
    pressureP: number;
    threshold: number;
    windowMs: number;
    expectedPerHour: number;
  };
  'flood-ended': {
    atMs: number;
    startedAtMs: number;
    screened: number;
    refused: number;
    challenged: number;
  };
  'caller-blocked': { atMs: number; block: GuardBlock };
  'challenge-result': { atMs: number; caller: PseudonymousCaller; passed: boolean };
}
