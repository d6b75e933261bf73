/** Says whether one short frame of 8 kHz line audio holds speech. */
export interface FrameClassifier {
  isSpeech(samples: Int16Array): boolean;
}

export interface SpeechGateOptions {
  /** Line-rate milliseconds of speech in a row before an utterance starts (rejects clicks). */
  onsetMs: number;
  /** Line-rate milliseconds of non-speech that end an utterance. */
  hangoverMs: number;
  /** Decoder-rate audio kept from before the onset, so the first phoneme is not cut off. */
  prerollMs: number;
  lineRate: number;
}

export const DEFAULT_GATE_OPTIONS: SpeechGateOptions = {
  onsetMs: 60,
  hangoverMs: 300,
  prerollMs: 300,
  lineRate: 8000,
};

export type GateEvent =
  | { kind: 'start'; audio: Int16Array[] }
  | { kind: 'speech'; audio: Int16Array }
  | { kind: 'end' };

/**
 * Voice-activity gating in front of the recogniser: silence is never decoded (it costs CPU and
 * invites false words), an utterance starts after a short run of speech frames, and ends after
 * a run of silence. Decisions use the line audio; the audio passed on is the resampled copy.
 */
export class SpeechGate {
  readonly #classifier: FrameClassifier;
  readonly #o: SpeechGateOptions;
  #inSpeech = false;
  #speechRunMs = 0;
  #silenceRunMs = 0;
  readonly #preroll: Int16Array[] = [];
  #prerollSamples = 0;
  readonly #prerollLimit: number;

  constructor(
    classifier: FrameClassifier,
    decoderRate: number,
    options: Partial<SpeechGateOptions> = {},
  ) {
    this.#classifier = classifier;
    this.#o = { ...DEFAULT_GATE_OPTIONS, ...options };
    this.#prerollLimit = Math.round((this.#o.prerollMs / 1000) * decoderRate);
  }

  get inSpeech(): boolean {
    return this.#inSpeech;
  }

  /** `line`: the frame as received; `decoded`: the same span at the decoder's rate. */
  push(line: Int16Array, decoded: Int16Array): GateEvent[] {
    const ms = (line.length / this.#o.lineRate) * 1000;
    const speech = this.#classifier.isSpeech(line);
    if (!this.#inSpeech) {
      this.#remember(decoded);
      this.#speechRunMs = speech ? this.#speechRunMs + ms : 0;
      if (this.#speechRunMs < this.#o.onsetMs) return [];
      this.#inSpeech = true;
      this.#silenceRunMs = 0;
      const audio = this.#preroll.splice(0);
      this.#prerollSamples = 0;
      return [{ kind: 'start', audio }];
    }
    this.#silenceRunMs = speech ? 0 : this.#silenceRunMs + ms;
    const events: GateEvent[] = [{ kind: 'speech', audio: decoded }];
    if (this.#silenceRunMs >= this.#o.hangoverMs) {
      this.#inSpeech = false;
      this.#speechRunMs = 0;
      events.push({ kind: 'end' });
    }
    return events;
  }

  /** Forget everything (a new menu, or the caller's utterance was taken elsewhere). */
  reset(): void {
    this.#inSpeech = false;
    this.#speechRunMs = 0;
    this.#silenceRunMs = 0;
    this.#preroll.length = 0;
    this.#prerollSamples = 0;
  }

  #remember(decoded: Int16Array): void {
    this.#preroll.push(decoded.slice());
    this.#prerollSamples += decoded.length;
    while (
      this.#preroll.length > 1 &&
      this.#prerollSamples - this.#preroll[0]!.length >= this.#prerollLimit
    ) {
      this.#prerollSamples -= this.#preroll.shift()!.length;
    }
  }
}
