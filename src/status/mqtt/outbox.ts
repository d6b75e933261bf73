import type { MqttClient } from 'mqtt';
import type { Logger } from '../../shared/logger.js';
import { OfflineQueue } from './offline-queue.js';

export interface OutMessage {
  kind: 'state' | 'event' | 'result';
  topic: string;
  payload: string;
  retain: boolean;
}

/**
 * At most this many QoS 1 messages wait for PUBACK at once. It bounds what a broker that
 * accepted the connection but stopped reading can make us hold in socket buffers; the rest
 * waits in the bounded queue.
 */
export const IN_FLIGHT_WINDOW = 16;

export interface OutboxStats {
  queued: number;
  inFlight: number;
  dropped: number;
  published: number;
  statusPending: boolean;
}

/**
 * Everything the sink sends, in order, through one bounded queue. Only the latest status
 * matters (it is retained), so status is a single slot that jumps the queue; events and
 * command results keep their order and are dropped oldest-first when the queue is full.
 * Messages not acknowledged when a connection drops go back to the front (at-least-once:
 * a consumer may see a duplicate `seq`, never a gap it was not told about).
 */
export class Outbox {
  readonly #queue: OfflineQueue<OutMessage>;
  readonly #log: Logger;
  readonly #inFlight = new Map<number, OutMessage>();
  #status: OutMessage | null = null;
  #client: MqttClient | null = null;
  #sendId = 0;
  #published = 0;
  #pumping = false;
  #idleWaiters: (() => void)[] = [];

  constructor(limit: number, log: Logger) {
    this.#queue = new OfflineQueue(limit);
    this.#log = log;
  }

  stats(): OutboxStats {
    return {
      queued: this.#queue.size,
      inFlight: this.#inFlight.size,
      dropped: this.#queue.dropped,
      published: this.#published,
      statusPending: this.#status !== null,
    };
  }

  /** Never blocks and never throws: at worst the message waits or the oldest one goes. */
  send(message: OutMessage): void {
    if (message.kind === 'state') this.#status = message;
    else this.#queue.push(message);
    this.#pump();
  }

  attach(client: MqttClient): void {
    this.#client = client;
    this.#pump();
  }

  /** The connection dropped: take back what it did not confirm, oldest first. */
  detach(): void {
    this.#client = null;
    const unconfirmed = [...this.#inFlight.values()];
    this.#inFlight.clear();
    const status = unconfirmed.filter((m) => m.kind === 'state').at(-1);
    if (status && this.#status === null) this.#status = status;
    this.#queue.unshiftAll(unconfirmed.filter((m) => m.kind !== 'state'));
  }

  /** Resolves once everything is confirmed, or after `ms`. */
  drain(ms: number): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        resolve();
      }
      this.#idleWaiters.push(finish);
    });
  }

  #idle(): boolean {
    return this.#status === null && this.#queue.size === 0 && this.#inFlight.size === 0;
  }

  #pump(): void {
    // A publish callback can run synchronously inside publish(); do not re-enter the loop.
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#client && this.#inFlight.size < IN_FLIGHT_WINDOW) {
        const next = this.#status ?? this.#queue.shift();
        if (!next) break;
        if (next === this.#status) this.#status = null;
        this.#publish(this.#client, next);
      }
    } finally {
      this.#pumping = false;
    }
    if (this.#idle()) for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  #publish(client: MqttClient, message: OutMessage): void {
    const id = ++this.#sendId;
    this.#inFlight.set(id, message);
    client.publish(message.topic, message.payload, { qos: 1, retain: message.retain }, (err) => {
      if (client !== this.#client) return; // detach() already took it back
      if (err && !client.connected) return; // the connection is going; detach() will requeue
      this.#inFlight.delete(id);
      if (err)
        this.#log.warn({ err, topic: message.topic }, 'mqtt publish failed; message dropped');
      else this.#published += 1;
      this.#pump();
    });
  }
}
