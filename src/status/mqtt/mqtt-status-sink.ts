import type { MqttClient } from 'mqtt';
import type { ApplianceCommands } from '../../appliance/appliance-commands.js';
import type { Logger } from '../../shared/logger.js';
import type {
  ApplianceStatus,
  CallEventName,
  ReportedEvents,
  StatusSink,
} from '../status-sink-port.js';
import { type AuditCallback, CommandHandler, type CommandResult } from './command-handler.js';
import { buildDiscovery } from './ha-discovery.js';
import { MqttConnection } from './mqtt-connection.js';
import {
  describeBroker,
  type MqttSinkOptions,
  type ResolvedMqttOptions,
  resolveMqttOptions,
} from './mqtt-options.js';
import { type MqttTopics, mqttTopics } from './mqtt-topics.js';
import { Outbox, type OutboxStats, type OutMessage } from './outbox.js';
import { findRawNumber } from './raw-number-guard.js';
import { toWireEvent, toWireStatus } from './wire-payloads.js';

export interface MqttStatusSinkDeps {
  options: MqttSinkOptions;
  commands: ApplianceCommands;
  audit: AuditCallback;
  logger: Logger;
  /** Software version for Home Assistant's device card before the first status arrives. */
  version?: string;
}

export interface MqttSinkStats extends OutboxStats {
  connected: boolean;
  attempts: number;
  refused: number;
  eventsAccepted: number;
}

/**
 * StatusSink over MQTT. publishStatus/publishEvent only build a string and hand it to the
 * bounded outbox: no I/O, no await, no throw, so a call never waits on the broker.
 */
export class MqttStatusSink implements StatusSink {
  readonly kind = 'mqtt';
  readonly #deps: MqttStatusSinkDeps;
  readonly #log: Logger;
  #running: {
    o: ResolvedMqttOptions;
    topics: MqttTopics;
    outbox: Outbox;
    connection: MqttConnection;
    commands: CommandHandler;
  } | null = null;
  #stopped = false;
  #client: MqttClient | null = null;
  #lastStatus: { payload: string; version: string } | null = null;
  #seq = 0;
  #refused = 0;
  #lastRefusal = '';

  constructor(deps: MqttStatusSinkDeps) {
    this.#deps = deps;
    this.#log = deps.logger.child({ module: 'mqtt' });
  }

  /** Throws MqttConfigError / MqttTlsFileError on bad settings; never waits for the broker. */
  async start(): Promise<void> {
    if (this.#running) return;
    const o = resolveMqttOptions(this.#deps.options);
    const topics = mqttTopics(o);
    const outbox = new Outbox(o.queueLimit, this.#log);
    const commands = new CommandHandler({
      commands: this.#deps.commands,
      audit: this.#deps.audit,
      allowed: o.allowedCommands,
      timeoutMs: o.commandTimeoutMs,
      logger: this.#log,
    });
    const connection = new MqttConnection(
      o,
      topics,
      {
        onConnected: (client) => this.#onConnected(client),
        onDisconnected: () => {
          this.#client = null;
          this.#running?.outbox.detach();
        },
        onMessage: (topic, payload, retained) => this.#onMessage(topic, payload, retained),
      },
      this.#log,
    );
    this.#running = { o, topics, outbox, connection, commands };
    this.#stopped = false;
    try {
      await connection.start();
    } catch (error) {
      this.#running = null;
      throw error;
    }
    this.#log.info({ broker: describeBroker(o.url), device: o.deviceId }, 'mqtt sink started');
  }

  async stop(): Promise<void> {
    const r = this.#running;
    if (!r) return;
    if (r.connection.connected) await r.outbox.drain(r.o.stopTimeoutMs);
    await r.connection.stop();
    const left = r.outbox.stats();
    this.#running = null;
    this.#client = null;
    this.#stopped = true;
    this.#log.info(
      { unsent: left.queued + left.inFlight, dropped: left.dropped },
      'mqtt sink stopped',
    );
  }

  publishStatus(status: ApplianceStatus): void {
    try {
      const r = this.#running;
      if (!r) return;
      const wire = toWireStatus(status);
      if (this.#refuseIfRawNumber(wire, 'status')) return;
      const payload = JSON.stringify(wire);
      this.#lastStatus = { payload, version: status.version };
      r.outbox.send({ kind: 'state', topic: r.topics.state, payload, retain: true });
    } catch (error) {
      this.#log.error({ err: error }, 'status not published: could not encode it');
    }
  }

  publishEvent<K extends CallEventName>(name: K, payload: ReportedEvents[K]): void {
    try {
      const r = this.#running;
      if (!r) return;
      const wire = toWireEvent(name, payload, this.#seq + 1, new Date());
      if (this.#refuseIfRawNumber(wire, `event ${name}`)) return;
      this.#seq += 1;
      r.outbox.send({
        kind: 'event',
        topic: r.topics.event,
        payload: JSON.stringify(wire),
        retain: false,
      });
    } catch (error) {
      this.#log.error({ err: error, event: name }, 'event not published: could not encode it');
    }
  }

  health(): { state: 'ok' | 'degraded' | 'off'; detail: string } {
    const r = this.#running;
    if (!r) return { state: 'off', detail: this.#stopped ? 'MQTT stopped' : 'MQTT not started' };
    const s = r.outbox.stats();
    const counts = `${s.queued} queued, ${s.inFlight} in flight, ${s.dropped} dropped`;
    const refused =
      this.#refused === 0
        ? ''
        : `; ${this.#refused} payloads refused as they looked like a raw phone number (last: ${this.#lastRefusal})`;
    const broker = describeBroker(r.o.url);
    if (r.connection.connected) {
      return { state: 'ok', detail: `connected to ${broker}; ${counts}${refused}` };
    }
    const why = r.connection.lastProblem?.message ?? 'connecting';
    const next = r.connection.nextAttemptAt;
    const retry =
      next === null
        ? '; trying now'
        : `; next attempt in ${Math.max(0, Math.ceil((next - Date.now()) / 1000))} s`;
    return {
      state: 'degraded',
      detail: `not connected to ${broker}: ${why}${retry}; ${counts}${refused}`,
    };
  }

  /** Numbers behind health(), for the web page and tests. */
  stats(): MqttSinkStats {
    const r = this.#running;
    const empty = { queued: 0, inFlight: 0, dropped: 0, published: 0, statusPending: false };
    return {
      ...(r ? r.outbox.stats() : empty),
      connected: r?.connection.connected ?? false,
      attempts: r?.connection.attempts ?? 0,
      refused: this.#refused,
      eventsAccepted: this.#seq,
    };
  }

  #refuseIfRawNumber(wire: unknown, what: string): boolean {
    const hit = findRawNumber(wire);
    if (!hit) return false;
    this.#refused += 1;
    this.#lastRefusal = `${what} ${hit.path}`;
    // The value itself is not logged: it is what we are keeping in.
    this.#log.error(
      { code: 'MQTT_RAW_NUMBER_REFUSED', what, path: hit.path },
      `${what} not published: ${hit.path} ${hit.reason}; this is a bug upstream of the MQTT sink`,
    );
    return true;
  }

  #onConnected(client: MqttClient): void {
    const r = this.#running;
    if (!r) return;
    this.#client = client;
    const { topics, o } = r;
    client.publish(topics.availability, 'online', { qos: 1, retain: true });
    const filters = o.homeAssistant.enabled
      ? [topics.commandFilter, topics.haStatus]
      : [topics.commandFilter];
    client.subscribe(filters, { qos: 1 }, (err, granted) => {
      const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
      if (err || refused.length > 0) {
        this.#log.error(
          { topics: err ? filters : refused },
          `broker refused subscription to ${(err ? filters : refused).join(', ')}: remote commands ` +
            'will not arrive; check the broker ACL for this user',
        );
      }
    });
    this.#sendDiscovery(client);
    // Broker restarted without persistence: our retained state is gone until we say it again.
    if (this.#lastStatus && !r.outbox.stats().statusPending) {
      r.outbox.send({
        kind: 'state',
        topic: topics.state,
        payload: this.#lastStatus.payload,
        retain: true,
      });
    }
    r.outbox.attach(client);
  }

  #sendDiscovery(client: MqttClient): void {
    const r = this.#running;
    if (!r?.o.homeAssistant.enabled) return;
    const version = this.#lastStatus?.version ?? this.#deps.version;
    const payload = JSON.stringify(buildDiscovery(r.o, r.topics, version));
    client.publish(r.topics.discovery, payload, { qos: 1, retain: true });
  }

  #onMessage(topic: string, payload: Buffer, retained: boolean): void {
    const r = this.#running;
    if (!r) return;
    if (topic === r.topics.haStatus) {
      if (payload.toString('utf8').trim() === 'online' && this.#client) {
        this.#log.info('Home Assistant announced online: discovery sent again');
        this.#sendDiscovery(this.#client);
      }
      return;
    }
    const prefix = `${r.topics.commandBase}/`;
    if (!topic.startsWith(prefix)) return;
    void r.commands
      .handle(topic.slice(prefix.length), payload, retained)
      .then((result) => this.#sendResult(result))
      .catch((error: unknown) => this.#log.error({ err: error }, 'mqtt command handling failed'));
  }

  #sendResult(result: CommandResult): void {
    const r = this.#running;
    if (!r || this.#refuseIfRawNumber(result, `command-result ${result.command}`)) return;
    const message: OutMessage = {
      kind: 'result',
      topic: r.topics.commandResult,
      payload: JSON.stringify(result),
      retain: false,
    };
    r.outbox.send(message);
  }
}
