import type { FrameClassifier } from './speech-gate.js';

/**
 * A plain energy detector with an adaptive noise floor: speech is a frame clearly above the
 * quietest recent level. Used until src/audio's voice-activity detector is wired in (it exists
 * so the Vosk path has gating at all); phone lines are band-limited and fairly quiet, which
 * suits this.
 */
export class EnergyFrameClassifier implements FrameClassifier {
  /** Noise floor estimate in dBFS; the first frame sets it (calls start with line noise). */
  #floorDb: number | null = null;
  readonly #marginDb: number;
  readonly #minSpeechDb: number;

  constructor(options: { marginDb?: number; minSpeechDb?: number } = {}) {
    this.#marginDb = options.marginDb ?? 10;
    this.#minSpeechDb = options.minSpeechDb ?? -48;
  }

  isSpeech(samples: Int16Array): boolean {
    if (samples.length === 0) return false;
    let sum = 0;
    for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
    const rms = Math.sqrt(sum / samples.length) / 32768;
    const db = 20 * Math.log10(Math.max(rms, 1e-6));
    // Falls quickly to a quieter level, rises slowly: speech does not drag the floor up.
    const floor = this.#floorDb ?? db;
    this.#floorDb = db < floor ? 0.7 * floor + 0.3 * db : Math.min(db, floor + 0.15);
    return db > this.#minSpeechDb && db > floor + this.#marginDb;
  }
}
