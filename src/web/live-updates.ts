import type { ServerResponse } from 'node:http';
import type { Logger } from '../shared/logger.js';

/**
 * Server-sent events to every open page. Calls may be stored by another process
 * (`linekeeper simulate`), so besides in-process notifications the hub polls the store's
 * cheap change token and pushes when it moves.
 */
export class LiveUpdates {
  readonly #clients = new Set<ServerResponse>();
  readonly #logger: Logger;
  readonly #changeToken: () => number;
  readonly #pollMs: number;
  readonly #onChange: () => void;
  #lastToken = -1;
  #poll: NodeJS.Timeout | null = null;
  #heartbeat: NodeJS.Timeout | null = null;

  constructor(options: {
    logger: Logger;
    changeToken: () => number;
    pollMs?: number;
    onChange?: () => void;
  }) {
    this.#logger = options.logger;
    this.#changeToken = options.changeToken;
    this.#pollMs = options.pollMs ?? 500;
    this.#onChange = options.onChange ?? (() => {});
  }

  start(): void {
    this.#lastToken = this.#safeToken();
    this.#poll = setInterval(() => {
      const token = this.#safeToken();
      if (token !== this.#lastToken) {
        this.#lastToken = token;
        this.#onChange();
        this.broadcast('calls-changed', {});
      }
    }, this.#pollMs);
    // Comments keep proxies and browsers from timing out an idle stream.
    this.#heartbeat = setInterval(() => this.#write(': keep-alive\n\n'), 20_000);
    this.#poll.unref();
    this.#heartbeat.unref();
  }

  stop(): void {
    if (this.#poll) clearInterval(this.#poll);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  clientCount(): number {
    return this.#clients.size;
  }

  add(response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    response.write('retry: 2000\n\n');
    this.#clients.add(response);
    response.on('close', () => this.#clients.delete(response));
  }

  broadcast(event: string, data: unknown): void {
    this.#write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  #write(chunk: string): void {
    for (const client of this.#clients) {
      try {
        client.write(chunk);
      } catch (error) {
        this.#logger.debug({ err: error }, 'dropping a live-update client');
        this.#clients.delete(client);
      }
    }
  }

  #safeToken(): number {
    try {
      return this.#changeToken();
    } catch {
      return this.#lastToken;
    }
  }
}
