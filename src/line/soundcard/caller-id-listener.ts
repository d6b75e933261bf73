import {
  type CallerIdDecodeEvent,
  CallerIdDecoder,
  type DecodedCallerId,
} from '../../callerid/caller-id-decoder.js';
import type { CallerIdMessageError } from '../../callerid/caller-id-errors.js';
import { FSK_STANDARD_NAMES, type FskStandardName } from '../../callerid/fsk-standards.js';

export interface CallerIdListenerCallbacks {
  message: (decoded: DecodedCallerId) => void;
  error: (error: CallerIdMessageError, standard: FskStandardName) => void;
}

// An error from one standard's decoder waits this long (samples) for the other to read the
// same stretch cleanly before it is reported.
const ERROR_HOLD = 4000;

/**
 * Listens to on-hook line audio for caller ID. With `auto` both standards' decoders run (a
 * few hundred operations per sample each) and the first clean message wins; the other
 * decoder's copy of it is dropped.
 */
export class CallerIdListener {
  readonly #standard: FskStandardName | 'auto';
  readonly #callbacks: CallerIdListenerCallbacks;
  #decoders: CallerIdDecoder[] = [];
  #position = 0;
  #lastMessageEnd = Number.NEGATIVE_INFINITY;
  #pendingErrors: { error: CallerIdMessageError; standard: FskStandardName; at: number }[] = [];

  constructor(standard: FskStandardName | 'auto', callbacks: CallerIdListenerCallbacks) {
    this.#standard = standard;
    this.#callbacks = callbacks;
    this.reset();
  }

  /** Fresh decoders: after a call, or when audio was interrupted. */
  reset(): void {
    const names = this.#standard === 'auto' ? FSK_STANDARD_NAMES : [this.#standard];
    this.#decoders = names.map((standard) => new CallerIdDecoder({ standard }));
    this.#position = 0;
    this.#lastMessageEnd = Number.NEGATIVE_INFINITY;
    this.#pendingErrors = [];
  }

  process(samples: Int16Array): void {
    const sink = (event: CallerIdDecodeEvent) => this.#onEvent(event);
    for (const decoder of this.#decoders) decoder.process(samples, sink);
    this.#position += samples.length;
    const due = this.#pendingErrors.filter((e) => e.at < this.#position - ERROR_HOLD);
    this.#pendingErrors = this.#pendingErrors.filter((e) => e.at >= this.#position - ERROR_HOLD);
    for (const e of due)
      if (e.at > this.#lastMessageEnd + ERROR_HOLD) this.#callbacks.error(e.error, e.standard);
  }

  #onEvent(event: CallerIdDecodeEvent): void {
    if (event.kind === 'error') {
      // Both standards' decoders usually fail on the same damaged message: report it once.
      if (this.#pendingErrors.some((e) => Math.abs(e.at - event.atSample) < 800)) return;
      this.#pendingErrors.push({
        error: event.error,
        standard: event.standard,
        at: event.atSample,
      });
      return;
    }
    const decoded = event.decoded;
    if (decoded.startSample < this.#lastMessageEnd) return;
    this.#lastMessageEnd = decoded.endSample;
    this.#pendingErrors = this.#pendingErrors.filter(
      (e) =>
        Math.abs(e.at - decoded.startSample) > decoded.endSample - decoded.startSample + ERROR_HOLD,
    );
    this.#callbacks.message(decoded);
  }
}
