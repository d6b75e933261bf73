import type { LibVoskFunctions, NativeHandle } from './libvosk.js';
import type { ModelDirectory } from './model-directory.js';
import { SerialQueue } from './serial-queue.js';
import { VoskRecognizerError } from './vosk-errors.js';
import { type DecodedUtterance, parseVoskPartial, parseVoskResult } from './vosk-result.js';

/** Vosk's endpointer presets (vosk_api.h VoskEndpointerMode). */
export type EndpointerMode = 'default' | 'short' | 'long' | 'very-long';
const ENDPOINTER_MODES: Record<EndpointerMode, number> = {
  default: 0,
  short: 1,
  long: 2,
  'very-long': 3,
};

export interface EndpointerDelays {
  /** Seconds of initial silence after which the utterance ends empty. */
  startMaxSeconds: number;
  /** Seconds of trailing silence that end an utterance. */
  endSeconds: number;
  /** Longest utterance in seconds. */
  maxSeconds: number;
}

export interface VoskDecoderOptions {
  /** Must equal the model's rate: the session resamples line audio before it gets here. */
  sampleRate: number;
  /** Phrases the recogniser may return (Vosk adds nothing: include "[unk]"); null = free text. */
  grammar?: readonly string[] | null;
  endpointerMode?: EndpointerMode;
  endpointerDelays?: EndpointerDelays;
}

export const MAX_GRAMMAR_PHRASES = 2000;

/**
 * One call's libvosk recogniser. All native calls for it run one at a time on koffi's worker
 * threads (SerialQueue); the handle is checked before every call and freed exactly once, after
 * the work queued before free().
 */
export class VoskDecoder {
  readonly #fns: LibVoskFunctions;
  readonly #model: NativeHandle;
  readonly #options: VoskDecoderOptions;
  readonly #onFree: () => void;
  readonly #queue = new SerialQueue();
  #handle: NativeHandle | null = null;
  #grammar: string | null;
  #closing = false;
  /** Big models with a static graph ignore grammars; they decode free text instead. */
  readonly #supportsGrammar: boolean;

  constructor(
    fns: LibVoskFunctions,
    model: NativeHandle,
    directory: ModelDirectory,
    options: VoskDecoderOptions,
    onFree: () => void,
  ) {
    checkSampleRate(options.sampleRate, directory);
    this.#fns = fns;
    this.#model = model;
    this.#options = options;
    this.#onFree = onFree;
    this.#supportsGrammar = directory.supportsGrammar;
    this.#grammar = this.#supportsGrammar ? grammarJson(options.grammar ?? null) : null;
  }

  get closed(): boolean {
    return this.#closing;
  }

  /** Creates the native recogniser; the other methods call it on first use too. */
  open(): Promise<void> {
    return this.#run(async () => {
      await this.#ensure();
    });
  }

  /** Switches the phrase list; a build without vosk_recognizer_set_grm gets a new recogniser. */
  setGrammar(phrases: readonly string[] | null): Promise<void> {
    const json = this.#supportsGrammar ? grammarJson(phrases) : null;
    return this.#run(async () => {
      if (json === this.#grammar && this.#handle) return;
      this.#grammar = json;
      if (!this.#handle) return;
      if (this.#fns.setGrammar && json !== null) {
        this.#fns.setGrammar(this.#handle, json);
        this.#fns.reset(this.#handle);
        return;
      }
      this.#fns.recognizerFree(this.#handle);
      this.#handle = null;
      await this.#ensure();
    });
  }

  /** Feeds audio; resolves true when the endpointer says the utterance has ended. */
  accept(samples: Int16Array): Promise<boolean> {
    // A copy: the caller may reuse its buffer while a worker thread still reads this one.
    const chunk = samples.slice();
    return this.#run(async () => {
      const handle = await this.#ensure();
      const status = await this.#fns.acceptWaveform(handle, chunk);
      if (status < 0) {
        throw new VoskRecognizerError(
          'VOSK_DECODE_FAILED',
          'libvosk failed while decoding audio (it reported an internal exception); the utterance is dropped and the caller can use keys',
        );
      }
      return status === 1;
    });
  }

  /** The utterance the endpointer just closed (after accept() resolved true). */
  result(): Promise<DecodedUtterance> {
    return this.#run(async () => parseVoskResult(await this.#fns.result(await this.#ensure())));
  }

  /** Flushes the audio pipeline and returns what was said; the recogniser starts afresh. */
  finalResult(): Promise<DecodedUtterance> {
    return this.#run(async () =>
      parseVoskResult(await this.#fns.finalResult(await this.#ensure())),
    );
  }

  partial(): Promise<string> {
    return this.#run(async () =>
      parseVoskPartial(await this.#fns.partialResult(await this.#ensure())),
    );
  }

  reset(): Promise<void> {
    return this.#run(async () => {
      if (this.#handle) this.#fns.reset(this.#handle);
    });
  }

  /** Frees the recogniser once the queued work is done. Idempotent; later calls are rejected. */
  free(): Promise<void> {
    if (this.#closing) return this.#queue.idle();
    this.#closing = true;
    return this.#queue.run(() => {
      if (this.#handle) this.#fns.recognizerFree(this.#handle);
      this.#handle = null;
      this.#onFree();
    });
  }

  #run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#closing) {
      return Promise.reject(
        new VoskRecognizerError('VOSK_HANDLE_FREED', "this call's recogniser was already freed"),
      );
    }
    return this.#queue.run(job);
  }

  async #ensure(): Promise<NativeHandle> {
    if (this.#handle) return this.#handle;
    const rate = this.#options.sampleRate;
    const handle =
      this.#grammar === null
        ? await this.#fns.recognizerNew(this.#model, rate)
        : await this.#fns.recognizerNewGrm(this.#model, rate, this.#grammar);
    if (!handle) {
      throw new VoskRecognizerError(
        'VOSK_RECOGNIZER_CREATE',
        `libvosk could not create a recogniser at ${rate} Hz${this.#grammar ? ' with the menu grammar' : ''}; check the journal for Kaldi's reason`,
      );
    }
    this.#fns.recognizerSetWords(handle, true);
    const { endpointerMode, endpointerDelays } = this.#options;
    if (endpointerMode && this.#fns.setEndpointerMode)
      this.#fns.setEndpointerMode(handle, ENDPOINTER_MODES[endpointerMode]);
    if (endpointerDelays && this.#fns.setEndpointerDelays) {
      const d = endpointerDelays;
      this.#fns.setEndpointerDelays(handle, d.startMaxSeconds, d.endSeconds, d.maxSeconds);
    }
    this.#handle = handle;
    return handle;
  }
}

function checkSampleRate(rate: number, directory: ModelDirectory): void {
  if (!Number.isInteger(rate) || rate !== directory.sampleRate) {
    throw new VoskRecognizerError(
      'VOSK_SAMPLE_RATE',
      `audio at ${rate} Hz cannot go to the model at ${directory.path}, which was trained at ${directory.sampleRate} Hz; resample first (the Vosk session does this for line audio)`,
    );
  }
}

/** The JSON array libvosk expects, or null for free recognition. */
export function grammarJson(phrases: readonly string[] | null): string | null {
  if (phrases === null) return null;
  if (phrases.length === 0 || phrases.length > MAX_GRAMMAR_PHRASES) {
    throw new VoskRecognizerError(
      'VOSK_GRAMMAR_INVALID',
      `a grammar needs 1 to ${MAX_GRAMMAR_PHRASES} phrases, got ${phrases.length}`,
    );
  }
  for (const phrase of phrases) {
    if (typeof phrase !== 'string' || phrase.trim() === '' || hasControlCharacter(phrase)) {
      throw new VoskRecognizerError(
        'VOSK_GRAMMAR_INVALID',
        `grammar phrase ${JSON.stringify(phrase)} is empty or has control characters`,
      );
    }
  }
  return JSON.stringify(phrases);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}
