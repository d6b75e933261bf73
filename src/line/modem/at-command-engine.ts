import type { Logger } from '../../shared/logger.js';
import type { Clock } from '../../shared/timer-clock.js';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import type { ModemToken } from './at-parser.js';
import {
  ModemCommandError,
  type ModemError,
  ModemTimeoutError,
  printable,
} from './modem-errors.js';
import { type FinalResult, finalResultOf, isSuccess, isUnsolicited } from './result-codes.js';

export interface AtResponse {
  command: string;
  result: FinalResult;
  /** The final line as sent, e.g. `CONNECT 9600`. */
  resultLine: string;
  /** Information text between the command and its final result, in order. */
  lines: string[];
}

export interface EngineEvents {
  /** RING, caller-ID fields, or a final code that arrived with no command pending. */
  unsolicited: { line: string };
  event: { code: string };
  audio: { bytes: Uint8Array };
  endOfData: Record<string, never>;
}

interface Pending {
  command: string;
  /** False for `expectFinal`: wait for a result without sending anything. */
  write: boolean;
  timeoutMs: number;
  lines: string[];
  resolve: (response: AtResponse) => void;
  reject: (error: Error) => void;
  timer?: unknown;
}

export interface AtCommandEngineOptions {
  device: string;
  write: (bytes: Uint8Array) => Promise<void>;
  clock: Clock;
  defaultTimeoutMs: number;
  log: Logger;
}

/**
 * One command in flight at a time (modems do not pipeline), each with its own timeout. Tokens
 * from the parser come in through `handle`; what is not the pending command's answer is routed
 * to `events`, so a RING between `AT+VLS=1` and its OK is never swallowed.
 */
export class AtCommandEngine {
  readonly events = new TypedEmitter<EngineEvents>();
  readonly #options: AtCommandEngineOptions;
  readonly #queue: Pending[] = [];
  #current: Pending | undefined;
  #numeric = false;

  constructor(options: AtCommandEngineOptions) {
    this.#options = options;
  }

  /** Whether the modem is in numeric result mode (ATV0); the driver sets ATV1 at init. */
  setNumericMode(numeric: boolean): void {
    this.#numeric = numeric;
  }

  get busy(): boolean {
    return this.#current !== undefined || this.#queue.length > 0;
  }

  /** Sends `command` (without CR) and resolves with any final result, success or not. */
  send(command: string, timeoutMs = this.#options.defaultTimeoutMs): Promise<AtResponse> {
    return new Promise<AtResponse>((resolve, reject) => {
      this.#queue.push({ command, write: true, timeoutMs, lines: [], resolve, reject });
      this.#next();
    });
  }

  /**
   * Waits for the final result of something that is not an AT command: the OK a modem sends
   * after `<DLE><ETX>` or `<DLE>!` ends a voice stream. Call it before writing that control.
   */
  expectFinal(label: string, timeoutMs = this.#options.defaultTimeoutMs): Promise<AtResponse> {
    return new Promise<AtResponse>((resolve, reject) => {
      this.#queue.push({ command: label, write: false, timeoutMs, lines: [], resolve, reject });
      this.#next();
    });
  }

  /** Like `send`, but anything other than OK/CONNECT/VCON rejects with a ModemCommandError. */
  async run(command: string, timeoutMs?: number): Promise<AtResponse> {
    const response = await this.send(command, timeoutMs);
    if (!isSuccess(response.result)) {
      throw new ModemCommandError(this.#options.device, command, response.resultLine);
    }
    return response;
  }

  /** Rejects everything queued: the port closed or the driver is resetting the modem. */
  failAll(error: ModemError): void {
    const all = this.#current ? [this.#current, ...this.#queue] : [...this.#queue];
    this.#queue.length = 0;
    if (this.#current?.timer !== undefined) this.#options.clock.clearTimeout(this.#current.timer);
    this.#current = undefined;
    for (const pending of all) pending.reject(error);
  }

  handle(token: ModemToken): void {
    switch (token.kind) {
      case 'line':
        this.#handleLine(token.text);
        break;
      case 'event':
        this.events.emit('event', { code: token.code });
        break;
      case 'audio':
        this.events.emit('audio', { bytes: token.bytes });
        break;
      case 'end-of-data':
        this.events.emit('endOfData', {});
        break;
    }
  }

  #handleLine(line: string): void {
    const current = this.#current;
    if (isUnsolicited(line, this.#numeric) || current === undefined) {
      this.events.emit('unsolicited', { line });
      return;
    }
    // With echo still on (before ATE0) the modem repeats the command: not an answer.
    if (line === current.command.trim()) return;
    const result = finalResultOf(line, this.#numeric);
    if (result === undefined) {
      current.lines.push(line);
      return;
    }
    this.#finish(current);
    current.resolve({ command: current.command, result, resultLine: line, lines: current.lines });
    this.#next();
  }

  #finish(pending: Pending): void {
    if (pending.timer !== undefined) this.#options.clock.clearTimeout(pending.timer);
    this.#current = undefined;
  }

  #next(): void {
    if (this.#current !== undefined) return;
    const pending = this.#queue.shift();
    if (pending === undefined) return;
    this.#current = pending;
    const { clock, device, log } = this.#options;
    pending.timer = clock.setTimeout(() => {
      if (this.#current !== pending) return;
      this.#finish(pending);
      log.warn({ command: printable(pending.command) }, 'modem command timed out');
      pending.reject(new ModemTimeoutError(device, pending.command, pending.timeoutMs));
      this.#next();
    }, pending.timeoutMs);
    if (!pending.write) return;
    log.debug({ command: printable(pending.command) }, 'modem command');
    this.#options.write(Buffer.from(`${pending.command}\r`, 'latin1')).catch((error: unknown) => {
      if (this.#current !== pending) return;
      this.#finish(pending);
      pending.reject(error instanceof Error ? error : new Error(String(error)));
      this.#next();
    });
  }
}
