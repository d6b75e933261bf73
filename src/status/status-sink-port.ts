import type { OperatingMode } from '../appliance/appliance-commands.js';
import type { CallEvents } from '../call/call-events.js';
import type { GuardEvents } from '../guard/guard-events.js';

/** Alerts about the line as a whole (a call flood), reported beside call events. */
export type AlertEvents = Pick<GuardEvents, 'flood-started' | 'flood-ended' | 'caller-blocked'>;

/** Everything reported on the event stream: call events and line alerts. */
export type ReportedEvents = CallEvents & AlertEvents;

/**
 * The flood guard as the clinic sees it: `off` when disabled in config, `calm`, or `flood`
 * since `floodSince`, with what it did to callers since then.
 */
export interface GuardStatus {
  state: 'off' | 'calm' | 'flood';
  /** When the current flood was detected (ISO time); null when calm or off. */
  floodSince: string | null;
  /** Calls screened, challenged and refused since the flood began; 0 when calm or off. */
  screened: number;
  challenged: number;
  refused: number;
  /** Numbers blocked right now for failing the challenge (flood or not). */
  blockedNumbers: number;
}

export const GUARD_OFF: GuardStatus = {
  state: 'off',
  floodSince: null,
  screened: 0,
  challenged: 0,
  refused: 0,
  blockedNumbers: 0,
};

/** What the appliance reports about itself (retained on MQTT, shown on the web page). */
export interface ApplianceStatus {
  device: string;
  version: string;
  line: { kind: string; state: string; detail?: string };
  speech: { kind: string; state: 'ready' | 'off' | 'failed'; detail?: string };
  relays: { kind: string; lineSelect: 'appliance' | 'front-desk' };
  currentCall: { callId: string; stage: string } | null;
  /** day: business hours as the flow says; night: every hours check answers "closed". */
  mode: OperatingMode;
  /** An operator put the line on the front-desk phone; the appliance does not answer. */
  frontDeskForced: boolean;
  callsToday: number;
  /** Absent where no guard is wired (tests, tools); reported as `off` then. */
  guard?: GuardStatus;
  updatedAt: string;
}

export type CallEventName = keyof ReportedEvents;

/**
 * The port to status reporting (MQTT in production, memory in tests). Publishing must never
 * block or fail a call: implementations queue, drop oldest, and report their own health.
 */
export interface StatusSink {
  readonly kind: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  publishStatus(status: ApplianceStatus): void;
  publishEvent<K extends CallEventName>(name: K, payload: ReportedEvents[K]): void;
  health(): { state: 'ok' | 'degraded' | 'off'; detail: string };
}
