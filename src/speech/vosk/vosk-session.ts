import { Resampler } from '../../audio/resampler.js';
import type { AudioFrame } from '../../line/line-port.js';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import type { RecognitionEvents, RecognitionSession } from '../recognizer-port.js';
import type { FrameClassifier, GateEvent, SpeechGateOptions } from './speech-gate.js';
import { SpeechGate } from './speech-gate.js';
import { VoskRecognizerError } from './vosk-errors.js';
import type { DecodedUtterance } from './vosk-result.js';

/** The part of VoskDecoder a session uses; tests drive the session with a scripted one. */
export interface UtteranceDecoder {
  setGrammar(phrases: readonly string[] | null): Promise<void>;
  accept(samples: Int16Array): Promise<boolean>;
  result(): Promise<DecodedUtterance>;
  finalResult(): Promise<DecodedUtterance>;
  reset(): Promise<void>;
  free(): Promise<void>;
}

export type UtteranceEnd = 'endpointer' | 'vad' | 'max-length' | 'flush';

/** Speech activity, for barge-in, and each utterance with the details a benchmark needs. */
export interface SpeechActivityEvents {
  'speech-start': { atMs: number };
  'speech-end': { atMs: number; reason: UtteranceEnd };
  utterance: DecodedUtterance & {
    reason: UtteranceEnd;
    /** performance.now() when the end of the utterance was decided, and when its text was ready. */
    endedAt: number;
    resultAt: number;
  };
}

export interface VoskSessionOptions {
  lineRate: number;
  decoderRate: number;
  /** Turns the IVR's phrases into the grammar (adds digits, yes/no, [unk]; drops unknown words). */
  grammarFor: (phrases: readonly string[]) => string[];
  classifier: FrameClassifier;
  gate?: Partial<Omit<SpeechGateOptions, 'lineRate'>>;
  /** Longest utterance decoded before it is cut (a caller talking over the prompt forever). */
  maxUtteranceMs?: number;
  now?: () => number;
}

type State = 'idle' | 'speaking' | 'draining';

/**
 * One call's recognition: 8 kHz line frames -> resampler -> voice-activity gate -> recogniser.
 * Nothing is decoded while no menu listens (grammar null) or while the line is silent. An
 * utterance ends at whichever comes first: libvosk's endpointer or the gate's trailing silence.
 */
export class VoskRecognitionSession implements RecognitionSession {
  readonly events = new TypedEmitter<RecognitionEvents>();
  readonly activity = new TypedEmitter<SpeechActivityEvents>();
  readonly #decoder: UtteranceDecoder;
  readonly #o: VoskSessionOptions;
  readonly #now: () => number;
  #resampler: Resampler | null = null;
  #gate: SpeechGate;
  #state: State = 'idle';
  #listening = false;
  #closed = false;
  #utteranceSamples = 0;
  /** Bumped on every grammar change, so results of an abandoned utterance are dropped. */
  #epoch = 0;
  #pending = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(decoder: UtteranceDecoder, options: VoskSessionOptions) {
    this.#decoder = decoder;
    this.#o = options;
    this.#now = options.now ?? (() => performance.now());
    this.#gate = new SpeechGate(options.classifier, options.decoderRate, {
      ...options.gate,
      lineRate: options.lineRate,
    });
  }

  setGrammar(phrases: readonly string[] | null): void {
    if (this.#closed) return;
    this.#epoch++;
    this.#gate.reset();
    this.#state = 'idle';
    this.#listening = phrases !== null;
    if (phrases === null) {
      this.#track(this.#decoder.reset());
      return;
    }
    let grammar: string[];
    try {
      grammar = this.#o.grammarFor(phrases);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#track(this.#decoder.setGrammar(grammar));
  }

  acceptAudio(frame: AudioFrame): void {
    if (this.#closed || !this.#listening) return;
    if (frame.sampleRate !== this.#o.lineRate) {
      this.#fail(
        new VoskRecognizerError(
          'VOSK_SAMPLE_RATE',
          `line audio arrives at ${frame.sampleRate} Hz but this speech session was set up for ${this.#o.lineRate} Hz; the line adapter must report its real rate`,
        ),
      );
      return;
    }
    const decoded = this.#resample(frame.samples);
    for (const event of this.#gate.push(frame.samples, decoded)) this.#onGate(event);
  }

  /** End of input (a file, a hung-up call): finish the utterance in progress now. */
  flush(): void {
    if (this.#state === 'speaking') this.#finish('flush');
  }

  /** Resolves when all audio handed over so far has been decoded. */
  idle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#epoch++;
    this.#track(this.#decoder.free());
    this.events.removeAllListeners();
    this.activity.removeAllListeners();
  }

  #onGate(event: GateEvent): void {
    switch (event.kind) {
      case 'start':
        this.#state = 'speaking';
        this.#utteranceSamples = 0;
        this.activity.emit('speech-start', { atMs: this.#now() });
        this.events.emit('speech-start', { atMs: this.#now() });
        for (const chunk of event.audio) this.#feed(chunk);
        return;
      case 'speech':
        if (this.#state === 'speaking') this.#feed(event.audio);
        return;
      case 'end':
        if (this.#state === 'speaking') this.#finish('vad');
        else if (this.#state === 'draining') {
          // The endpointer already closed this utterance; the gate has now caught up.
          this.#state = 'idle';
          this.#track(this.#decoder.reset());
        }
        return;
    }
  }

  #feed(samples: Int16Array): void {
    const epoch = this.#epoch;
    this.#utteranceSamples += samples.length;
    const maxSamples = ((this.#o.maxUtteranceMs ?? 15_000) / 1000) * this.#o.decoderRate;
    this.#track(
      this.#decoder.accept(samples).then((endpoint) => {
        if (endpoint && epoch === this.#epoch && this.#state === 'speaking')
          this.#finish('endpointer');
      }),
    );
    if (this.#utteranceSamples >= maxSamples && this.#state === 'speaking')
      this.#finish('max-length');
  }

  #finish(reason: UtteranceEnd): void {
    const epoch = this.#epoch;
    const endedAt = this.#now();
    // After the endpointer, the gate still hears the tail of the speech: drop it until silence.
    this.#state = reason === 'endpointer' && this.#gate.inSpeech ? 'draining' : 'idle';
    if (reason !== 'endpointer') this.#gate.reset();
    this.activity.emit('speech-end', { atMs: endedAt, reason });
    const pending = reason === 'endpointer' ? this.#decoder.result() : this.#decoder.finalResult();
    this.#track(
      pending.then((utterance) => {
        if (epoch !== this.#epoch || this.#closed) return;
        const resultAt = this.#now();
        this.activity.emit('utterance', { ...utterance, reason, endedAt, resultAt });
        this.events.emit('result', {
          text: utterance.text,
          confidence: utterance.confidence,
          final: true,
        });
      }),
    );
  }

  #resample(samples: Int16Array): Int16Array {
    if (this.#o.lineRate === this.#o.decoderRate) return samples;
    this.#resampler ??= new Resampler(this.#o.lineRate, this.#o.decoderRate);
    const out = new Int16Array(this.#resampler.maxOutput(samples.length));
    const n = this.#resampler.process(samples, out);
    return out.subarray(0, n);
  }

  #track(work: Promise<unknown>): void {
    this.#pending++;
    work
      .catch((error: unknown) => this.#fail(error))
      .finally(() => {
        if (--this.#pending > 0) return;
        for (const resolve of this.#idleWaiters.splice(0)) resolve();
      });
  }

  #fail(error: unknown): void {
    if (this.#closed) return;
    this.events.emit('error', { message: (error as Error)?.message ?? String(error) });
  }
}
