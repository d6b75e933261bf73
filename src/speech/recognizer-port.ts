import type { AudioFrame } from '../line/line-port.js';
import type { TypedEmitter } from '../shared/typed-emitter.js';

export interface RecognitionResult {
  text: string;
  /** 0..1; the mean of word confidences where the engine gives them. */
  confidence: number;
  /** A partial result may still change; only final results select menu options. */
  final: boolean;
}

export interface RecognitionEvents {
  result: RecognitionResult;
  error: { message: string };
  /** The caller started speaking: an interruptible prompt stops now (barge-in). */
  'speech-start': { atMs: number };
}

/** One caller's utterances: one per call, fed with that call's audio frames. */
export interface RecognitionSession {
  readonly events: TypedEmitter<RecognitionEvents>;
  /** Restrict recognition to these phrases (plus an unknown-word token) for the current menu. */
  setGrammar(phrases: readonly string[] | null): void;
  acceptAudio(frame: AudioFrame): void;
  close(): void;
}

/** The port to a speech engine: the simulator, or Vosk with a shared model. */
export interface Recognizer {
  readonly kind: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  createSession(options: { sampleRate: number }): RecognitionSession;
}
