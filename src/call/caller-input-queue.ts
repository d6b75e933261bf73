import type { DtmfDigit } from '../line/line-port.js';
import type { Clock } from '../shared/clock.js';

export type CallerInput =
  | { kind: 'dtmf'; value: DtmfDigit; atMs: number }
  | { kind: 'speech'; value: string; confidence: number; atMs: number };

/**
 * Everything the caller pressed or said, in order. Inputs that arrive while a prompt plays or
 * before a menu starts are kept (type-ahead): a regular caller who knows "1 then 2" is never
 * made to wait for prompts they have heard a hundred times.
 */
export class CallerInputQueue {
  #buffer: CallerInput[] = [];
  #waiter: ((input: CallerInput) => void) | undefined;
  readonly #arrivalListeners = new Set<(input: CallerInput) => void>();

  push(input: CallerInput): void {
    for (const listener of this.#arrivalListeners) listener(input);
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter(input);
    } else {
      this.#buffer.push(input);
    }
  }

  hasPending(): boolean {
    return this.#buffer.length > 0;
  }

  /** Drops type-ahead, e.g. after a wrong key, so one mistake does not cascade through menus. */
  clear(): void {
    this.#buffer = [];
  }

  /** Called for every input as it arrives (used to stop a prompt: barge-in). */
  onArrival(listener: (input: CallerInput) => void): () => void {
    this.#arrivalListeners.add(listener);
    return () => this.#arrivalListeners.delete(listener);
  }

  /** The next input: buffered at once, else the first to arrive within `timeoutMs`, else null. */
  async next(timeoutMs: number, clock: Clock, signal: AbortSignal): Promise<CallerInput | null> {
    const buffered = this.#buffer.shift();
    if (buffered) return buffered;
    if (signal.aborted) return null;
    const stop = new AbortController();
    const arrival = new Promise<CallerInput>((resolve) => {
      this.#waiter = resolve;
    });
    const timeout = clock.sleep(timeoutMs, AbortSignal.any([signal, stop.signal])).then(() => null);
    const result = await Promise.race([arrival, timeout]);
    stop.abort();
    this.#waiter = undefined;
    return result;
  }
}
