import { readFile } from 'node:fs/promises';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from '../../shared/logger.js';
import { type ConnectProblem, classifyConnectError } from './connect-problem.js';
import { MqttTlsFileError } from './mqtt-errors.js';
import { describeBroker, type ResolvedMqttOptions } from './mqtt-options.js';
import type { MqttTopics } from './mqtt-topics.js';
import { ReconnectBackoff } from './reconnect-backoff.js';

export interface ConnectionHandlers {
  /** CONNACK received: subscribe, announce, flush. */
  onConnected(client: MqttClient): void;
  /** The connection that was handed to onConnected is gone. */
  onDisconnected(): void;
  onMessage(topic: string, payload: Buffer, retained: boolean): void;
}

/**
 * Owns the broker connection: one MQTT.js client per attempt, our own backoff between
 * attempts. MQTT.js's built-in reconnect is off because it retries at a fixed period and keeps
 * its own unbounded store of unacknowledged messages; the sink keeps a bounded one instead.
 */
export class MqttConnection {
  readonly #o: ResolvedMqttOptions;
  readonly #topics: MqttTopics;
  readonly #handlers: ConnectionHandlers;
  readonly #log: Logger;
  readonly #backoff: ReconnectBackoff;
  #clientOptions: IClientOptions | null = null;
  #client: MqttClient | null = null;
  #generation = 0;
  #connected = false;
  #stopping = false;
  #timer: NodeJS.Timeout | null = null;
  #nextAttemptAt: number | null = null;
  #lastProblem: ConnectProblem | null = null;
  #loggedKinds = new Set<string>();
  #attempts = 0;

  constructor(
    o: ResolvedMqttOptions,
    topics: MqttTopics,
    handlers: ConnectionHandlers,
    log: Logger,
  ) {
    this.#o = o;
    this.#topics = topics;
    this.#handlers = handlers;
    this.#log = log;
    this.#backoff = new ReconnectBackoff(o.reconnectMinMs, o.reconnectMaxMs);
  }

  get connected(): boolean {
    return this.#connected;
  }

  get lastProblem(): ConnectProblem | null {
    return this.#lastProblem;
  }

  get nextAttemptAt(): number | null {
    return this.#nextAttemptAt;
  }

  /** Connection attempts since start, successful or not. */
  get attempts(): number {
    return this.#attempts;
  }

  /** Reads TLS files (errors are fatal: a wrong path does not heal), then starts connecting. */
  async start(): Promise<void> {
    this.#stopping = false;
    this.#clientOptions = await this.#buildClientOptions();
    this.#attempt();
  }

  /**
   * Says goodbye if connected (the retained `offline`, since a clean DISCONNECT suppresses the
   * Last Will) and closes. Bounded by `stopTimeoutMs` so a stalled broker cannot hold up a
   * shutdown.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#generation += 1;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#nextAttemptAt = null;
    const client = this.#client;
    const wasConnected = this.#connected;
    this.#client = null;
    this.#connected = false;
    if (!client) return;
    const limit = this.#o.stopTimeoutMs;
    if (wasConnected) {
      await within(limit, (done) =>
        client.publish(this.#topics.availability, 'offline', { qos: 1, retain: true }, () =>
          done(),
        ),
      );
      await within(limit, (done) => client.end(false, {}, () => done()));
    }
    client.end(true);
  }

  #attempt(): void {
    this.#timer = null;
    this.#nextAttemptAt = null;
    if (this.#stopping || !this.#clientOptions) return;
    const generation = ++this.#generation;
    this.#attempts += 1;
    const client = connect(this.#o.url, this.#clientOptions);
    this.#client = client;
    const current = () => generation === this.#generation;

    client.on('connect', () => {
      if (!current()) return;
      this.#connected = true;
      this.#backoff.reset();
      const after = this.#lastProblem ? ` after: ${this.#lastProblem.message}` : '';
      this.#log.info({ broker: describeBroker(this.#o.url) }, `mqtt connected${after}`);
      this.#lastProblem = null;
      this.#loggedKinds.clear();
      this.#handlers.onConnected(client);
    });
    client.on('message', (topic, payload, packet) => {
      if (current()) this.#handlers.onMessage(topic, payload, packet.retain === true);
    });
    // Always listened to: an unhandled 'error' on an abandoned client would crash the process.
    client.on('error', (error) => {
      if (current()) this.#problem(classifyConnectError(error, this.#o));
    });
    client.on('close', () => {
      if (!current()) return;
      const wasConnected = this.#connected;
      this.#connected = false;
      this.#client = null;
      this.#generation += 1;
      if (wasConnected) {
        if (!this.#lastProblem) {
          this.#problem({
            kind: 'reset',
            needsPerson: false,
            message: `broker ${describeBroker(this.#o.url)} closed the connection; reconnecting`,
          });
        }
        // Before end(): end() fails MQTT.js's pending callbacks, and the sink must already
        // have taken its unacknowledged messages back by then.
        this.#handlers.onDisconnected();
      }
      client.end(true);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#stopping) return;
    const delay = this.#backoff.next();
    this.#nextAttemptAt = Date.now() + delay;
    this.#timer = setTimeout(() => this.#attempt(), delay);
    this.#timer.unref();
  }

  #problem(p: ConnectProblem): void {
    this.#lastProblem = p;
    // One log line per kind of problem per outage: a broker down for a night must not fill
    // the SD card with the same line every minute.
    if (this.#loggedKinds.has(p.kind)) {
      this.#log.debug({ kind: p.kind }, p.message);
      return;
    }
    this.#loggedKinds.add(p.kind);
    if (p.needsPerson) this.#log.error({ kind: p.kind }, p.message);
    else this.#log.warn({ kind: p.kind }, p.message);
  }

  async #buildClientOptions(): Promise<IClientOptions> {
    const o = this.#o;
    const tls: IClientOptions = { rejectUnauthorized: o.tls.rejectUnauthorized };
    const read = async (key: string, path: string | undefined) => {
      if (path === undefined) return undefined;
      try {
        return await readFile(path);
      } catch (error) {
        throw new MqttTlsFileError(key, path, error);
      }
    };
    const [ca, cert, key] = await Promise.all([
      read('tls.caPath', o.tls.caPath),
      read('tls.certPath', o.tls.certPath),
      read('tls.keyPath', o.tls.keyPath),
    ]);
    if (ca) tls.ca = ca;
    if (cert) tls.cert = cert;
    if (key) tls.key = key;
    return {
      ...tls,
      // Stable per device so a restarted appliance takes over its own session at once.
      clientId: `linekeeper-${o.deviceId}`,
      protocolVersion: 4,
      clean: true,
      keepalive: o.keepaliveSeconds,
      connectTimeout: o.connectTimeoutMs,
      reconnectPeriod: 0,
      resubscribe: false,
      queueQoSZero: false,
      ...(o.username === undefined ? {} : { username: o.username }),
      ...(o.password === undefined ? {} : { password: o.password }),
      will: {
        topic: this.#topics.availability,
        payload: Buffer.from('offline'),
        qos: 1,
        retain: true,
      },
    };
  }
}

/** Runs a callback-style operation, giving up after `ms`. */
function within(ms: number, op: (done: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    op(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
