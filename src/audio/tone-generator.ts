import { DspConfigError } from './audio-errors.js';
import { dbm0ToPeak } from './levels.js';

export interface ToneComponent {
  hz: number;
  dbm0: number;
}

/**
 * A tone as telephone specs describe it: a sum of sines, optionally switched on and off by a
 * repeating cadence (ms on, ms off, ms on, ...). No cadence means continuous.
 */
export interface ToneSpec {
  components: ToneComponent[];
  cadenceMs?: number[];
  /**
   * Raised-cosine ramp at each switch, in ms. Hard switching splatters energy across the band
   * (audible clicks, and a false "speech" burst for VAD); 2-5 ms is what exchanges use.
   */
  rampMs?: number;
}

/**
 * Streaming tone source: `read` fills any number of samples and continues where it left off,
 * so a prompt player can pull frames of whatever size the line wants. Allocation-free.
 */
export class ToneGenerator {
  readonly #sampleRate: number;
  readonly #peaks: Float64Array;
  readonly #steps: Float64Array;
  readonly #phases: Float64Array;
  readonly #cadence: Int32Array;
  readonly #ramp: number;
  #cadenceIndex = 0;
  #posInSegment = 0;

  constructor(spec: ToneSpec, sampleRate = 8000) {
    for (const c of spec.components) {
      if (!(c.hz > 0 && c.hz < sampleRate / 2)) {
        throw new DspConfigError(`tone frequency ${c.hz} Hz is outside 0..${sampleRate / 2} Hz`);
      }
    }
    if (
      spec.cadenceMs?.some((ms) => !(ms >= 0)) ||
      (spec.cadenceMs && spec.cadenceMs.length % 2 !== 0)
    ) {
      throw new DspConfigError('a cadence is pairs of non-negative on/off durations in ms');
    }
    this.#sampleRate = sampleRate;
    this.#peaks = Float64Array.from(spec.components, (c) => dbm0ToPeak(c.dbm0));
    this.#steps = Float64Array.from(spec.components, (c) => (2 * Math.PI * c.hz) / sampleRate);
    this.#phases = new Float64Array(spec.components.length);
    this.#cadence = Int32Array.from(spec.cadenceMs ?? [], (ms) =>
      Math.round((ms * sampleRate) / 1000),
    );
    this.#ramp = Math.round(((spec.rampMs ?? 0) * sampleRate) / 1000);
  }

  get sampleRate(): number {
    return this.#sampleRate;
  }

  /** Fills out[0..length) and advances. */
  read(out: Int16Array, length = out.length): void {
    const n = this.#peaks.length;
    for (let i = 0; i < length; i++) {
      const gain = this.#cadenceGain();
      let v = 0;
      for (let k = 0; k < n; k++) {
        const p = this.#phases[k]!;
        v += this.#peaks[k]! * Math.sin(p);
        // Wrap to keep the phase small: large arguments lose precision in Math.sin.
        const next = p + this.#steps[k]!;
        this.#phases[k] = next > 2 * Math.PI ? next - 2 * Math.PI : next;
      }
      const s = Math.round(v * gain);
      out[i] = Math.max(-32768, Math.min(32767, s));
    }
  }

  #cadenceGain(): number {
    const cad = this.#cadence;
    if (cad.length === 0) return 1;
    let len = cad[this.#cadenceIndex]!;
    while (this.#posInSegment >= len) {
      this.#posInSegment = 0;
      this.#cadenceIndex = (this.#cadenceIndex + 1) % cad.length;
      len = cad[this.#cadenceIndex]!;
      if (cad.every((v) => v === 0)) return 0;
    }
    const pos = this.#posInSegment++;
    if (this.#cadenceIndex % 2 === 1) return 0;
    const r = Math.min(this.#ramp, len >> 1);
    if (r === 0) return 1;
    const edge = Math.min(pos, len - 1 - pos);
    return edge >= r ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * (edge + 0.5)) / r);
  }
}

/** Renders `durationMs` of a tone into a new array (tests, prompts, beeps). */
export function renderTone(spec: ToneSpec, durationMs: number, sampleRate = 8000): Int16Array {
  const out = new Int16Array(Math.round((durationMs * sampleRate) / 1000));
  new ToneGenerator(spec, sampleRate).read(out);
  return out;
}
