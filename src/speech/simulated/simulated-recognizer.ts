import type { AudioFrame } from '../../line/line-port.js';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import type { RecognitionEvents, RecognitionSession, Recognizer } from '../recognizer-port.js';
import { words } from '../words.js';

/**
 * A recogniser that "hears" text handed to it by a simulated caller. Like a grammar-constrained
 * engine, it only returns words in the active grammar; anything else comes back as "[unk]" with
 * low confidence, so flows behave as they will with Vosk.
 */
export class SimulatedRecognizer implements Recognizer {
  readonly kind = 'simulated';
  readonly #sessions = new Set<SimulatedRecognitionSession>();

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    for (const session of this.#sessions) session.close();
  }

  createSession(_options: { sampleRate: number }): RecognitionSession {
    const session = new SimulatedRecognitionSession(() => this.#sessions.delete(session));
    this.#sessions.add(session);
    return session;
  }

  /** Delivers an utterance to every open session (there is one per call). */
  hear(text: string, confidence: number): void {
    for (const session of this.#sessions) session.hear(text, confidence);
  }
}

class SimulatedRecognitionSession implements RecognitionSession {
  readonly events = new TypedEmitter<RecognitionEvents>();
  #grammar: Set<string> | null = null;
  readonly #onClose: () => void;

  constructor(onClose: () => void) {
    this.#onClose = onClose;
  }

  setGrammar(phrases: readonly string[] | null): void {
    this.#grammar = phrases ? new Set(phrases.flatMap((p) => words(p))) : null;
  }

  acceptAudio(_frame: AudioFrame): void {}

  hear(text: string, confidence: number): void {
    // No active grammar means nobody is listening (no menu): the utterance is lost, as in life.
    if (!this.#grammar) return;
    const heard = words(text).filter((w) => this.#grammar!.has(w));
    const result =
      heard.length > 0
        ? { text: heard.join(' '), confidence, final: true }
        : { text: '[unk]', confidence: 0.2, final: true };
    this.events.emit('result', result);
  }

  close(): void {
    this.events.removeAllListeners();
    this.#onClose();
  }
}
