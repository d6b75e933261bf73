import {
  CallerIdFormatError,
  CallerIdMessageError,
  CallerIdSignalError,
} from './caller-id-errors.js';
import {
  type CallerIdMessage,
  isCallerIdMessageType,
  parseCallerIdMessage,
} from './caller-id-message.js';
import { FskDemodulator, type FskDemodulatorOptions, type FskEvent } from './fsk-demodulator.js';
import type { FskStandardName } from './fsk-standards.js';

export interface DecodedCallerId {
  message: CallerIdMessage;
  standard: FskStandardName;
  /** The message bytes as received, checksum included. */
  bytes: Uint8Array;
  startSample: number;
  endSample: number;
  /** Mean tone dominance over all bits, 0..1: how cleanly the line carried it. */
  quality: number;
  /** How exactly the mark signal matched this standard's mark tone, 0..1. */
  toneFit: number;
}

export type CallerIdDecodeEvent =
  | { kind: 'message'; decoded: DecodedCallerId }
  | { kind: 'error'; error: CallerIdMessageError; standard: FskStandardName; atSample: number };

export type CallerIdDecodeSink = (event: CallerIdDecodeEvent) => void;

/**
 * Caller-ID messages from line audio, for one FSK standard: the demodulator's characters are
 * assembled into type, length, body and checksum after each mark signal. A damaged or cut-off
 * message is reported as an error and none of its fields are used.
 */
export class CallerIdDecoder {
  readonly standard: FskStandardName;
  readonly #demod: FskDemodulator;
  #bytes: number[] | null = null;
  #confidence = 0;
  #start = 0;
  #toneFit = 0;

  constructor(options: FskDemodulatorOptions) {
    this.standard = options.standard;
    this.#demod = new FskDemodulator(options);
  }

  process(samples: ArrayLike<number>, sink: CallerIdDecodeSink): void {
    this.#demod.process(samples, (event) => this.#onEvent(event, sink));
  }

  flush(sink: CallerIdDecodeSink): void {
    this.#demod.flush((event) => this.#onEvent(event, sink));
  }

  #onEvent(event: FskEvent, sink: CallerIdDecodeSink): void {
    switch (event.kind) {
      case 'mark':
        this.#bytes = [];
        this.#confidence = 0;
        this.#toneFit = event.toneFit;
        return;
      case 'byte':
        this.#onByte(event.value, event.atSample, event.confidence, sink);
        return;
      case 'framing-error':
        this.#fail(
          sink,
          event.atSample,
          (got, want) => `byte ${got + 1} of ${want} had no stop bit (noise or a dropout)`,
        );
        return;
      case 'end':
        this.#fail(
          sink,
          event.atSample,
          (got, want) =>
            `${event.reason === 'gap' ? 'the sender paused' : 'the carrier stopped'} after ${got} of ${want} bytes`,
        );
        return;
    }
  }

  #onByte(value: number, at: number, confidence: number, sink: CallerIdDecodeSink): void {
    const bytes = this.#bytes;
    if (!bytes) return;
    if (bytes.length === 0) {
      // Anything but a caller-ID type after the mark is another service (message waiting) or
      // noise that looked like a mark: wait for the next mark.
      if (!isCallerIdMessageType(value)) {
        this.#bytes = null;
        return;
      }
      this.#start = at;
    }
    bytes.push(value);
    this.#confidence += confidence;
    const length = bytes[1];
    if (length === undefined || bytes.length < length + 3) return;
    this.#bytes = null;
    const raw = Uint8Array.from(bytes);
    const endSample = this.#demod.position;
    try {
      const message = parseCallerIdMessage(raw);
      sink({
        kind: 'message',
        decoded: {
          message,
          standard: this.standard,
          bytes: raw,
          startSample: this.#start,
          endSample,
          quality: this.#confidence / raw.length,
          toneFit: this.#toneFit,
        },
      });
    } catch (error) {
      const failure =
        error instanceof CallerIdMessageError ? error : new CallerIdFormatError(String(error));
      sink({ kind: 'error', error: failure, standard: this.standard, atSample: this.#start });
    }
  }

  #fail(
    sink: CallerIdDecodeSink,
    at: number,
    describe: (got: number, want: string) => string,
  ): void {
    const bytes = this.#bytes;
    this.#bytes = null;
    if (!bytes || bytes.length === 0) return;
    const want = bytes[1] === undefined ? '?' : String(bytes[1] + 3);
    sink({
      kind: 'error',
      error: new CallerIdSignalError(describe(bytes.length, want)),
      standard: this.standard,
      atSample: at,
    });
  }
}
