import { Writable } from 'node:stream';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import type {
  ApplianceCommands,
  OperatingMode,
} from '../../../src/appliance/appliance-commands.js';
import type { CallRecord } from '../../../src/call/call-record.js';
import type { Logger } from '../../../src/shared/logger.js';
import type { AuditEntry } from '../../../src/status/mqtt/command-handler.js';
import type { ApplianceStatus } from '../../../src/status/status-sink-port.js';
import type { Mosquitto } from '../../helpers/mosquitto.js';

/** A pino logger whose JSON lines we can read back. */
export function captureLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines: () => lines };
}

/** ApplianceCommands that records what it was asked and can be told to fail or hang. */
export class RecordingCommands implements ApplianceCommands {
  readonly calls: string[] = [];
  failWith: Error | null = null;
  hang = false;

  setMode(mode: OperatingMode): Promise<string> {
    return this.#do(`setMode:${mode}`, `${mode} mode on`);
  }
  forceFrontDesk(force: boolean): Promise<string> {
    return this.#do(
      `forceFrontDesk:${force}`,
      force ? 'line on front desk' : 'line back on appliance',
    );
  }
  reloadFlow(): Promise<string> {
    return this.#do('reloadFlow', 'flow reloaded: clinic (12 nodes)');
  }
  #do(call: string, result: string): Promise<string> {
    this.calls.push(call);
    if (this.hang) return new Promise(() => {});
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve(result);
  }
}

export function auditLog(): { audit: (e: AuditEntry) => void; entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return { audit: (e) => entries.push(e), entries };
}

export function status(overrides: Partial<ApplianceStatus> = {}): ApplianceStatus {
  return {
    device: 'reception',
    version: '0.1.0',
    line: { kind: 'modem', state: 'idle' },
    speech: { kind: 'vosk', state: 'ready' },
    relays: { kind: 'simulated', lineSelect: 'appliance' },
    currentCall: null,
    callsToday: 0,
    mode: 'day',
    frontDeskForced: false,
    updatedAt: '2025-03-01T09:30:00.000Z',
    ...overrides,
  };
}

export function callRecord(id: string): CallRecord {
  return {
    id,
    startedAt: new Date('2025-03-01T09:30:00.000Z'),
    endedAt: new Date('2025-03-01T09:31:05.000Z'),
    durationMs: 65_000,
    callerHash: '9f2c4e1ab7d3508c6e2f9a1b4c7d0e3f5a8b1c4d7e0f3a6b9c2d5e8f1a4b7c0d',
    callerHint: '58',
    callerWithheld: null,
    route: 'transfer:reception',
    topic: null,
    callbackWindow: null,
    language: 'en',
    choices: [{ node: 'main-menu', option: 'appointments', via: 'dtmf', atMs: 4200 }],
    endReason: 'transferred',
    flowName: 'clinic',
    lineKind: 'modem',
  };
}

export async function waitFor(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
}

/** A separate MQTT client that watches topics, as Home Assistant or mosquitto_sub would. */
export async function watch(
  broker: Mosquitto,
  topics: string[],
  extra: IClientOptions = {},
): Promise<{ client: MqttClient; messages: Received[]; end: () => Promise<void> }> {
  const client = await connectAsync(broker.url, {
    username: broker.username,
    password: broker.password,
    reconnectPeriod: 0,
    clientId: `watcher-${Math.random().toString(16).slice(2)}`,
    ...extra,
  });
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload: payload.toString('utf8'), retain: packet.retain });
  });
  if (topics.length > 0) await client.subscribeAsync(topics, { qos: 1 });
  return { client, messages, end: () => client.endAsync() };
}

export function sinkOptions(broker: Mosquitto, deviceId: string) {
  return {
    url: broker.url,
    deviceId,
    username: broker.username,
    password: broker.password,
    connectTimeoutMs: 2000,
    reconnectMinMs: 50,
    reconnectMaxMs: 400,
    stopTimeoutMs: 1000,
  };
}
