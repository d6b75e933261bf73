import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config-schema.js';
import type { Line } from '../line/line-port.js';
import { SimulatedLine } from '../line/simulated/simulated-line.js';
import { gpioSettingsFromConfig } from '../relays/relay-settings.js';
import type { Relays } from '../relays/relays-port.js';
import { SimulatedRelays } from '../relays/simulated/simulated-relays.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { PACKAGE_ROOT, packageVersion } from '../shared/package-root.js';
import type { Recognizer } from '../speech/recognizer-port.js';
import { SimulatedRecognizer } from '../speech/simulated/simulated-recognizer.js';
import type { AuditCallback } from '../status/mqtt/command-handler.js';
import { MemoryStatusSink } from '../status/simulated/memory-status-sink.js';
import type { ApplianceStatus, StatusSink } from '../status/status-sink-port.js';
import type { CallStore } from '../storage/call-store-port.js';
import { SqliteCallStore } from '../storage/sqlite/sqlite-call-store.js';
import type { ApplianceCommands } from './appliance-commands.js';
import { dataPaths } from './paths.js';

/**
 * The one place that maps config to adapters. Hardware adapters are loaded with a lazy import()
 * so that tests and the simulator never load native modules they do not use.
 */
const COUNTRY_BY_CONFIG = { us: 'US', uk: 'GB', de: 'DE', es: 'ES' } as const;

export async function createLine(
  config: Config,
  clock: Clock,
  logger: Logger,
  relays: Relays,
): Promise<Line> {
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
          profileOverrides: m.profileOverrides,
          watchdogIntervalMs: m.watchdogSeconds * 1000,
          receiveSilenceMs: m.receiveSilenceSeconds * 1000,
          ...(m.capturePath ? { capturePath: m.capturePath } : {}),
        },
        log: logger,
      });
    }
    case 'soundcard': {
      const [{ SoundcardLine }, { ArecordAudioSource }, { AplayAudioSink }, { OnoffRingInput }] =
        await Promise.all([
          import('../line/soundcard/soundcard-line.js'),
          import('../line/soundcard/arecord-audio-source.js'),
          import('../line/soundcard/aplay-audio-sink.js'),
          import('../line/soundcard/onoff-ring-input.js'),
        ]);
      const s = config.line.soundcard;
      return new SoundcardLine({
        options: {
          // The CallDesk answers, as with the modem.
          answerOnRing: 0,
          country: config.line.country,
          fskStandard: s.fskStandard,
          silenceHangupMs: s.silenceHangupSeconds * 1000,
          ...(s.hookFlashMs ? { hookFlashMs: s.hookFlashMs } : {}),
        },
        source: new ArecordAudioSource({ device: s.captureDevice }),
        sink: new AplayAudioSink({ device: s.playbackDevice }),
        ringInput: new OnoffRingInput({
          bcmPin: s.ringPin!,
          activeLow: s.ringActiveLow,
          chipLabels: config.relays.chipLabels,
        }),
        relays,
        log: logger,
      });
    }
  }
}

export interface SpeechSetup {
  recognizer: Recognizer | null;
  status: ApplianceStatus['speech'];
}

/**
 * The recogniser, started. Vosk that cannot start (no library, no model, a damaged model) is
 * not fatal: the appliance answers with key menus only and says why, in the log, on the web
 * page and in `linekeeper doctor`.
 */
export async function startRecognizer(config: Config, logger: Logger): Promise<SpeechSetup> {
  const speech = config.speech;
  if (speech.engine === 'off')
    return {
      recognizer: null,
      status: { kind: 'off', state: 'off', detail: 'speech.engine is off: menus work by keys' },
    };
  if (speech.engine === 'simulated') {
    const recognizer = new SimulatedRecognizer();
    await recognizer.start();
    return { recognizer, status: { kind: 'simulated', state: 'ready' } };
  }
  const { VoskRecognizer } = await import('../speech/vosk/vosk-recognizer.js');
  const modelPath = speech.modelPath ?? defaultModelPath(config);
  const recognizer = new VoskRecognizer({
    modelPath,
    language: speech.language,
    libraryPath: speech.libraryPath,
    onWarning: (message) => logger.warn(message),
  });
  try {
    await recognizer.start();
    return { recognizer, status: { kind: 'vosk', state: 'ready', detail: modelPath } };
  } catch (error) {
    const detail = `speech unavailable, answering with key menus only: ${(error as Error).message}`;
    logger.error({ err: error }, detail);
    await recognizer.stop().catch(() => {});
    return { recognizer: null, status: { kind: 'vosk', state: 'failed', detail } };
  }
}

/** `<dataDir>/models/<name>` for the manifest model of the configured language. */
export function defaultModelPath(config: Config): string {
  const manifest = JSON.parse(readFileSync(`${PACKAGE_ROOT}models/manifest.json`, 'utf8')) as {
    models: { language: string; name: string }[];
  };
  const model = manifest.models.find((m) => m.language === config.speech.language);
  return join(
    dataPaths(config).dataDir,
    'models',
    model?.name ?? `vosk-model-${config.speech.language}`,
  );
}

export async function createRelays(config: Config, clock: Clock): Promise<Relays> {
  const settings = gpioSettingsFromConfig(config.relays);
  if (!settings) return new SimulatedRelays(clock);
  const { createGpioRelays } = await import('../relays/create-gpio-relays.js');
  return createGpioRelays(settings, clock);
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
