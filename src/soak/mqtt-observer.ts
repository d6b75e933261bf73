import mqtt, { type MqttClient } from 'mqtt';

/**
 * A subscriber on the soak broker, as a home-automation system would be: notes when the
 * appliance announces itself `online` (after a broker restart too) and which calls it reported.
 */
export class MqttObserver {
  readonly #url: string;
  readonly #base: string;
  #client: MqttClient | null = null;
  onlineAt = 0;
  readonly endedCallIds = new Set<string>();
  floodsStarted = 0;
  floodsEnded = 0;
  callersBlocked = 0;

  constructor(url: string, topicBase: string) {
    this.#url = url;
    this.#base = topicBase;
  }

  start(): void {
    const client = mqtt.connect(this.#url, { reconnectPeriod: 250, connectTimeout: 2000 });
    client.on('error', () => {});
    client.on('connect', () => {
      client.subscribe([`${this.#base}/availability`, `${this.#base}/event`], { qos: 1 });
    });
    client.on('message', (topic, payload) => {
      const text = payload.toString('utf8');
      if (topic.endsWith('/availability')) {
        if (text === 'online') this.onlineAt = Date.now();
        return;
      }
      try {
        const event = JSON.parse(text) as { event?: string; callId?: string };
        if (event.event === 'call-ended' && event.callId) this.endedCallIds.add(event.callId);
        if (event.event === 'flood-started') this.floodsStarted++;
        if (event.event === 'flood-ended') this.floodsEnded++;
        if (event.event === 'caller-blocked') this.callersBlocked++;
      } catch {
        // Not ours to judge here; the MQTT suite checks payloads.
      }
    });
    this.#client = client;
  }

  /** A flood-started was reported and its flood-ended not yet. */
  get inFlood(): boolean {
    return this.floodsStarted > this.floodsEnded;
  }

  /** Forgets the last `online`, so the next one proves a fresh announcement. */
  resetOnline(): void {
    this.onlineAt = 0;
  }

  async stop(): Promise<void> {
    await this.#client?.endAsync(true);
  }
}
