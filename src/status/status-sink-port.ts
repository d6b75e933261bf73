import type { OperatingMode } from '../appliance/appliance-commands.js';
import type { CallEvents } from '../call/call-events.js';

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
  updatedAt: string;
}

export type CallEventName = keyof CallEvents;

/**
 * The port to status reporting (MQTT in production, memory in tests). Publishing must never
 * block or fail a call: implementations queue, drop oldest, and report their own health.
 */
export interface StatusSink {
  readonly kind: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  publishStatus(status: ApplianceStatus): void;
  publishEvent<K extends CallEventName>(name: K, payload: CallEvents[K]): void;
  health(): { state: 'ok' | 'degraded' | 'off'; detail: string };
}
