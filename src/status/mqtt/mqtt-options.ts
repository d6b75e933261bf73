import type { InputProblem } from '../../shared/errors.js';
import { MqttConfigError } from './mqtt-errors.js';

/** Remote commands the MQTT adapter knows; `allowedCommands` narrows them per site. */
export const COMMAND_NAMES = ['mode', 'front-desk', 'reload-flow'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** What the composition root passes to the MQTT status sink (mapped from config `mqtt:`). */
export interface MqttSinkOptions {
  /** `mqtt://host:1883`, `mqtts://host:8883`, `ws://…` or `wss://…`. Credentials do not go here. */
  url: string;
  /** One appliance per line: `[A-Za-z0-9_-]{1,64}`, unique within the broker. */
  deviceId: string;
  /** First topic level, default `linekeeper`. */
  topicPrefix?: string;
  username?: string;
  password?: string;
  tls?: {
    /** PEM file of the CA that signed the broker certificate (private CA on site). */
    caPath?: string;
    /** Client certificate and key, for brokers that require them (mutual TLS). */
    certPath?: string;
    keyPath?: string;
    /** Default true. false accepts any broker certificate: for a lab only, never a clinic. */
    rejectUnauthorized?: boolean;
  };
  keepaliveSeconds?: number;
  /** Events and command results kept while the broker is unreachable; oldest dropped beyond. */
  queueLimit?: number;
  homeAssistant?: { enabled?: boolean; discoveryPrefix?: string; deviceName?: string };
  /** Subset of COMMAND_NAMES this site accepts over MQTT. Default: all. */
  allowedCommands?: readonly CommandName[];
  connectTimeoutMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** A command the appliance does not finish within this time is reported as failed. */
  commandTimeoutMs?: number;
  /** stop() waits at most this long to flush the queue and say `offline`. */
  stopTimeoutMs?: number;
}

export interface ResolvedMqttOptions {
  url: string;
  deviceId: string;
  topicPrefix: string;
  username: string | undefined;
  password: string | undefined;
  tls: { caPath?: string; certPath?: string; keyPath?: string; rejectUnauthorized: boolean };
  keepaliveSeconds: number;
  queueLimit: number;
  homeAssistant: { enabled: boolean; discoveryPrefix: string; deviceName: string };
  allowedCommands: ReadonlySet<CommandName>;
  connectTimeoutMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  commandTimeoutMs: number;
  stopTimeoutMs: number;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
// A topic prefix may have several levels but no wildcards, no empty level and no leading `$`.
const TOPIC_PREFIX = /^(?!\$)[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
const PROTOCOLS = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:']);

/** Fills defaults and checks every field; throws MqttConfigError listing all problems. */
export function resolveMqttOptions(o: MqttSinkOptions): ResolvedMqttOptions {
  const problems: InputProblem[] = [];
  const bad = (path: string, message: string) => problems.push({ path, message });

  checkUrl(o.url, bad);
  if (!ID.test(o.deviceId ?? '')) {
    bad('deviceId', 'must be 1-64 letters, digits, "_" or "-" (it becomes an MQTT topic level)');
  }
  const topicPrefix = o.topicPrefix ?? 'linekeeper';
  if (!TOPIC_PREFIX.test(topicPrefix)) {
    bad('topicPrefix', 'must be topic levels of letters, digits, "_" or "-" separated by "/"');
  }
  const discoveryPrefix = o.homeAssistant?.discoveryPrefix ?? 'homeassistant';
  if (!TOPIC_PREFIX.test(discoveryPrefix)) {
    bad('homeAssistant.discoveryPrefix', 'must be topic levels without wildcards');
  }
  if (o.password !== undefined && o.username === undefined) {
    bad('password', 'is set but username is not: MQTT sends a password only with a username');
  }
  if ((o.tls?.certPath === undefined) !== (o.tls?.keyPath === undefined)) {
    bad('tls', 'certPath and keyPath go together: set both for a client certificate, or neither');
  }
  const allowed = o.allowedCommands ?? COMMAND_NAMES;
  for (const [i, name] of allowed.entries()) {
    if (!(COMMAND_NAMES as readonly string[]).includes(name)) {
      bad(`allowedCommands[${i}]`, `unknown command "${name}"; known: ${COMMAND_NAMES.join(', ')}`);
    }
  }
  const int = (path: string, v: number | undefined, def: number, min: number, max: number) => {
    const value = v ?? def;
    if (!Number.isInteger(value) || value < min || value > max) {
      bad(path, `must be a whole number from ${min} to ${max}`);
    }
    return value;
  };
  const reconnectMinMs = int('reconnectMinMs', o.reconnectMinMs, 1000, 10, 600_000);
  const reconnectMaxMs = int('reconnectMaxMs', o.reconnectMaxMs, 60_000, 10, 3_600_000);
  if (reconnectMaxMs < reconnectMinMs) bad('reconnectMaxMs', 'must not be below reconnectMinMs');

  const resolved: ResolvedMqttOptions = {
    url: o.url,
    deviceId: o.deviceId,
    topicPrefix,
    username: o.username,
    password: o.password,
    tls: { ...o.tls, rejectUnauthorized: o.tls?.rejectUnauthorized ?? true },
    keepaliveSeconds: int('keepaliveSeconds', o.keepaliveSeconds, 30, 5, 3600),
    queueLimit: int('queueLimit', o.queueLimit, 1000, 1, 100_000),
    homeAssistant: {
      enabled: o.homeAssistant?.enabled ?? true,
      discoveryPrefix,
      deviceName: o.homeAssistant?.deviceName ?? `linekeeper ${o.deviceId}`,
    },
    allowedCommands: new Set(allowed),
    connectTimeoutMs: int('connectTimeoutMs', o.connectTimeoutMs, 10_000, 10, 300_000),
    reconnectMinMs,
    reconnectMaxMs,
    commandTimeoutMs: int('commandTimeoutMs', o.commandTimeoutMs, 15_000, 10, 600_000),
    stopTimeoutMs: int('stopTimeoutMs', o.stopTimeoutMs, 2000, 0, 60_000),
  };
  if (problems.length > 0) throw new MqttConfigError(problems);
  return resolved;
}

function checkUrl(url: string, bad: (path: string, message: string) => void): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    bad('url', `"${url}" is not a URL; expected e.g. mqtt://192.168.1.10:1883`);
    return;
  }
  if (!PROTOCOLS.has(parsed.protocol)) {
    bad('url', `scheme "${parsed.protocol}" is not one of mqtt:, mqtts:, ws:, wss:`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // Credentials in a URL end up in logs and process listings; keep them in their own keys.
    bad('url', 'must not contain a username or password: use the username and password keys');
  }
}

/** The URL as logs may show it. */
export function describeBroker(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(invalid url)';
  }
}
