import { EventEmitter } from 'node:events';

/**
 * An EventEmitter whose event names and payloads are checked by the compiler.
 * Listener errors are caught and reported through `onListenerError` so one feature's bug
 * cannot break the caller of `emit` (e.g. a web-page listener crashing a call).
 */
export class TypedEmitter<Events extends { [K in keyof Events]: unknown }> {
  readonly #emitter = new EventEmitter();
  #onListenerError: (event: string, error: unknown) => void = () => {};

  constructor() {
    // Many subscribers (web clients, MQTT, logs) are normal; the default of 10 only warns.
    this.#emitter.setMaxListeners(100);
  }

  setListenerErrorHandler(handler: (event: string, error: unknown) => void): void {
    this.#onListenerError = handler;
  }

  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): this {
    this.#emitter.on(event, listener as (payload: unknown) => void);
    return this;
  }

  once<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): this {
    this.#emitter.once(event, listener as (payload: unknown) => void);
    return this;
  }

  off<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): this {
    this.#emitter.off(event, listener as (payload: unknown) => void);
    return this;
  }

  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    for (const listener of this.#emitter.listeners(event)) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        this.#onListenerError(event, error);
      }
    }
  }

  listenerCount(event: keyof Events & string): number {
    return this.#emitter.listenerCount(event);
  }

  removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }
}
