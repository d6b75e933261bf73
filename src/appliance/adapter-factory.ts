import type { Config } from '../config/config-schema.js';
import type { Line } from '../line/line-port.js';
import { SimulatedLine } from '../line/simulated/simulated-line.js';
import type { Relays } from '../relays/relays-port.js';
import { SimulatedRelays } from '../relays/simulated/simulated-relays.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { packageVersion } from '../shared/package-root.js';
import type { Recognizer } from '../speech/recognizer-port.js';
import { SimulatedRecognizer } from '../speech/simulated/simulated-recognizer.js';
import type { AuditCallback } from '../status/mqtt/command-handler.js';
import { MemoryStatusSink } from '../status/simulated/memory-status-sink.js';
import type { StatusSink } from '../status/status-sink-port.js';
import type { CallStore } from '../storage/call-store-port.js';
import { SqliteCallStore } from '../storage/sqlite/sqlite-call-store.js';
import type { ApplianceCommands } from './appliance-commands.js';
import { dataPaths } from './paths.js';

/**
 * The one place that maps config to adapters. Hardware adapters are loaded with a lazy import()
 * so that tests and the simulator never load native modules they do not use.
 */
const COUNTRY_BY_CONFIG = { us: 'US', uk: 'GB', de: 'DE', es: 'ES' } as const;

export async function createLine(config: Config, clock: Clock, logger: Logger): Promise<Line> {
  switch (config.line.driver) {
    case 'simulated':
      return new SimulatedLine(clock);
    case 'modem': {
      const { ModemLine } = await import('../line/modem/modem-line.js');
      const m = config.line.modem;
      return new ModemLine({
        options: {
          device: m.device,
          baudRate: m.baudRate,
          profile: m.profile,
          // The CallDesk decides when to answer (ring count, front-desk override), not the modem.
          answerOnRing: 0,
          country: COUNTRY_BY_CONFIG[config.line.country],
          extraInit: m.extraInit,
          ...(m.capturePath ? { capturePath: m.capturePath } : {}),
        },
        log: logger,
      });
    }
  }
}

export function createRecognizer(config: Config): Recognizer | null {
  return config.speech.engine === 'off' ? null : new SimulatedRecognizer();
}

export function createRelays(_config: Config, clock: Clock): Relays {
  return new SimulatedRelays(clock);
}

/**
 * MQTT when enabled, else memory. Only the running appliance reports over MQTT: it owns the
 * device's client id and Last Will, and simulated calls must not look like real ones there.
 */
export async function createStatusSink(
  config: Config,
  logger: Logger,
  remote: { commands: ApplianceCommands; audit: AuditCallback } | null,
): Promise<StatusSink> {
  if (!config.mqtt.enabled || !remote) return new MemoryStatusSink();
  const { MqttStatusSink } = await import('../status/mqtt/mqtt-status-sink.js');
  const m = config.mqtt;
  return new MqttStatusSink({
    options: {
      url: m.url,
      deviceId: config.device.id,
      topicPrefix: m.topicPrefix,
      ...(m.username ? { username: m.username } : {}),
      ...(m.password ? { password: m.password } : {}),
      tls: {
        ...(m.tls.ca ? { caPath: m.tls.ca } : {}),
        ...(m.tls.cert ? { certPath: m.tls.cert } : {}),
        ...(m.tls.key ? { keyPath: m.tls.key } : {}),
        rejectUnauthorized: m.tls.rejectUnauthorized,
      },
      keepaliveSeconds: m.keepaliveSeconds,
      queueLimit: m.queueLimit,
      homeAssistant: {
        enabled: m.homeAssistant.enabled,
        discoveryPrefix: m.homeAssistant.discoveryPrefix,
        deviceName: config.device.name,
      },
      allowedCommands: m.allowedCommands,
    },
    commands: remote.commands,
    audit: remote.audit,
    logger,
    version: packageVersion(),
  });
}

export function createCallStore(config: Config): CallStore {
  return new SqliteCallStore(dataPaths(config).database);
}
