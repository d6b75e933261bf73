import type {
  ApplianceStatus,
  CallEventName,
  ReportedEvents,
  StatusSink,
} from '../status-sink-port.js';

/** Keeps what would be published, for tests and for running without a broker (MQTT off). */
export class MemoryStatusSink implements StatusSink {
  readonly kind = 'memory';
  readonly statuses: ApplianceStatus[] = [];
  readonly events: { name: CallEventName; payload: unknown }[] = [];
  readonly #limit: number;

  constructor(limit = 1000) {
    this.#limit = limit;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  publishStatus(status: ApplianceStatus): void {
    this.statuses.push(status);
    if (this.statuses.length > this.#limit) this.statuses.shift();
  }

  publishEvent<K extends CallEventName>(name: K, payload: ReportedEvents[K]): void {
    this.events.push({ name, payload });
    if (this.events.length > this.#limit) this.events.shift();
  }

  health(): { state: 'ok' | 'degraded' | 'off'; detail: string } {
    return {
      state: 'off',
      detail: 'MQTT is off (mqtt.enabled: false); status is kept in memory only',
    };
  }
}
