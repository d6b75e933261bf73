import { buildMenuGrammar } from '../intents/menu-grammar.js';
import type { RecognitionSession, Recognizer } from '../recognizer-port.js';
import { EnergyFrameClassifier } from './energy-frame-classifier.js';
import { libvoskPath } from './libvosk-location.js';
import type { FrameClassifier, SpeechGateOptions } from './speech-gate.js';
import type { EndpointerDelays, EndpointerMode } from './vosk-decoder.js';
import { VoskRecognizerError } from './vosk-errors.js';
import { VoskModel } from './vosk-model.js';
import { VoskRecognitionSession } from './vosk-session.js';

export interface VoskRecognizerOptions {
  modelPath: string;
  /** The model's language (digit words, yes/no, "reception" in the grammar). */
  language: string;
  /** Explicit libvosk path; default LINEKEEPER_LIBVOSK or vendor/vosk/<platform>/libvosk.so. */
  libraryPath?: string | null;
  gate?: Partial<Omit<SpeechGateOptions, 'lineRate'>>;
  maxUtteranceMs?: number;
  endpointerMode?: EndpointerMode;
  endpointerDelays?: EndpointerDelays;
  /** Voice-activity decision per line frame; default: the energy classifier. */
  classifierFactory?: () => FrameClassifier;
  /** Told once per problem a technician should fix (e.g. a phrase word the model lacks). */
  onWarning?: (message: string) => void;
  logLevel?: number;
}

/**
 * The Recognizer port on libvosk. start() loads the shared model off the main thread and throws
 * a typed VoskError when the library or model is unusable: the composition root then runs the
 * appliance DTMF-only and says so.
 */
export class VoskRecognizer implements Recognizer {
  readonly kind = 'vosk';
  readonly #o: VoskRecognizerOptions;
  readonly model: VoskModel;
  readonly #warned = new Set<string>();

  constructor(options: VoskRecognizerOptions) {
    this.#o = options;
    this.model = new VoskModel({
      libraryPath: libvoskPath(options.libraryPath),
      modelPath: options.modelPath,
      ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    });
  }

  async start(): Promise<void> {
    await this.model.load();
  }

  async stop(): Promise<void> {
    await this.model.free();
  }

  /** `sampleRate` is the line's rate; the session resamples to the model's. */
  createSession(options: { sampleRate: number }): RecognitionSession {
    return this.createVoskSession(options);
  }

  /** The same session with its speech-activity events (barge-in, utterance timings). */
  createVoskSession(options: { sampleRate: number }): VoskRecognitionSession {
    if (
      !Number.isInteger(options.sampleRate) ||
      options.sampleRate < 8000 ||
      options.sampleRate > 48000
    ) {
      throw new VoskRecognizerError(
        'VOSK_SAMPLE_RATE',
        `line audio at ${options.sampleRate} Hz is not usable for speech: expected 8000 to 48000 Hz`,
      );
    }
    const o = this.#o;
    const decoderRate = this.model.directory.sampleRate;
    const decoder = this.model.createDecoder({
      sampleRate: decoderRate,
      ...(o.endpointerMode ? { endpointerMode: o.endpointerMode } : {}),
      ...(o.endpointerDelays ? { endpointerDelays: o.endpointerDelays } : {}),
    });
    return new VoskRecognitionSession(decoder, {
      lineRate: options.sampleRate,
      decoderRate,
      grammarFor: (phrases) => this.#grammarFor(phrases),
      classifier: o.classifierFactory?.() ?? new EnergyFrameClassifier(),
      ...(o.gate ? { gate: o.gate } : {}),
      ...(o.maxUtteranceMs ? { maxUtteranceMs: o.maxUtteranceMs } : {}),
    });
  }

  #grammarFor(phrases: readonly string[]): string[] {
    const grammar = buildMenuGrammar(phrases, this.#o.language, {
      knowsWord: (w) => this.model.knowsWord(w),
    });
    for (const word of grammar.unknownWords) {
      if (this.#warned.has(word)) continue;
      this.#warned.add(word);
      this.#o.onWarning?.(
        `the speech model does not know the word "${word}", so menu phrases containing it cannot be recognised; reword them in the flow`,
      );
    }
    return grammar.phrases;
  }
}
