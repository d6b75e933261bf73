import { DspConfigError } from './audio-errors.js';

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

// Stopband attenuation of the anti-alias / anti-image filter. 70 dB keeps aliases below the
// 14-bit noise floor of G.711 audio.
const ATTENUATION_DB = 70;
// Passband edge as a share of the lower rate's Nyquist frequency: 0.92 of 4 kHz is 3.68 kHz,
// above the 3.4 kHz telephone band, so the speech band is untouched.
const PASS_EDGE = 0.92;
const MAX_PHASES = 4096;

/**
 * Band-limited rational resampler (polyphase FIR, Kaiser-windowed sinc). 8 kHz <-> 16 kHz for the
 * speech recogniser is the common case; WAV files at any usual rate go through the same code.
 * Streaming: each call continues the previous one; the filter history persists.
 */
export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Output samples by which the output lags the input (half the filter, at the output rate). */
  readonly delay: number;
  readonly #up: number;
  readonly #down: number;
  readonly #taps: number;
  /** Polyphase coefficients: phase p occupies [p*taps, (p+1)*taps), newest input first. */
  readonly #bank: Float32Array;
  /** Input history: the last `taps - 1` samples followed by the current chunk. */
  #history: Float64Array;
  #held = 0;
  /** Position of the next output in units of 1/up input samples, relative to history[taps-1]. */
  #phase = 0;

  constructor(inputRate: number, outputRate: number) {
    if (
      !Number.isInteger(inputRate) ||
      !Number.isInteger(outputRate) ||
      inputRate < 1000 ||
      outputRate < 1000
    ) {
      throw new DspConfigError(
        `cannot resample ${inputRate} Hz to ${outputRate} Hz: rates must be integers >= 1000`,
      );
    }
    const g = gcd(inputRate, outputRate);
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.#up = outputRate / g;
    this.#down = inputRate / g;
    if (this.#up > MAX_PHASES) {
      throw new DspConfigError(
        `cannot resample ${inputRate} Hz to ${outputRate} Hz: the ratio ${this.#up}/${this.#down} is too fine; convert the file to a common rate (8000, 16000, 44100, 48000 Hz) first`,
      );
    }
    const fs = inputRate * this.#up; // rate of the (virtual) upsampled signal
    const nyquist = Math.min(inputRate, outputRate) / 2;
    const cutoff = (nyquist * (1 + PASS_EDGE)) / 2 / fs; // centre of the transition band
    const transition = (2 * Math.PI * nyquist * (1 - PASS_EDGE)) / fs;
    const beta = 0.1102 * (ATTENUATION_DB - 8.7);
    let length = Math.ceil((ATTENUATION_DB - 8) / (2.285 * transition)) + 1;
    this.#taps = Math.ceil(length / this.#up);
    length = this.#taps * this.#up;
    const proto = new Float64Array(length);
    const mid = (length - 1) / 2;
    const i0beta = besselI0(beta);
    for (let i = 0; i < length; i++) {
      const t = i - mid;
      const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
      const r = t / (mid + 0.5);
      // Gain `up` makes up for the zeros a zero-stuffing upsampler would insert.
      proto[i] = sinc * (besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0beta) * this.#up;
    }
    this.#bank = new Float32Array(length);
    for (let p = 0; p < this.#up; p++) {
      for (let k = 0; k < this.#taps; k++)
        this.#bank[p * this.#taps + k] = proto[p + k * this.#up]!;
    }
    this.delay = Math.round(mid / this.#down);
    this.#history = new Float64Array(this.#taps - 1 + 1024);
    this.#held = this.#taps - 1;
  }

  /** Most outputs one call can produce from `inputLength` inputs; size `output` with this. */
  maxOutput(inputLength: number): number {
    return Math.ceil(((inputLength + 1) * this.#up) / this.#down) + 1;
  }

  /** Resamples `input`, writes to `output` and returns how many samples were written. */
  process(input: ArrayLike<number>, output: Float32Array | Float64Array | Int16Array): number {
    const taps = this.#taps;
    if (this.#held + input.length > this.#history.length) {
      // Grows only when a caller hands a bigger chunk than ever before.
      const bigger = new Float64Array(this.#held + input.length);
      bigger.set(this.#history.subarray(0, this.#held));
      this.#history = bigger;
    }
    const h = this.#history;
    for (let i = 0; i < input.length; i++) h[this.#held + i] = input[i]!;
    const available = this.#held + input.length;
    const bank = this.#bank;
    const up = this.#up;
    const down = this.#down;
    const rounds = output instanceof Int16Array;
    let written = 0;
    let pos = this.#phase; // in 1/up input samples, from h[taps - 1]
    for (;;) {
      const base = taps - 1 + Math.floor(pos / up);
      if (base >= available) break;
      const phase = pos % up;
      let acc = 0;
      const off = phase * taps;
      for (let k = 0; k < taps; k++) acc += bank[off + k]! * h[base - k]!;
      if (written >= output.length) {
        throw new DspConfigError(
          `resampler output buffer of ${output.length} is too small; size it with maxOutput()`,
        );
      }
      output[written++] = rounds ? Math.max(-32768, Math.min(32767, Math.round(acc))) : acc;
      pos += down;
    }
    // Keep the last taps-1 samples before the next output's base as history.
    const consumed = Math.floor(pos / up);
    const keepFrom = consumed;
    h.copyWithin(0, keepFrom, available);
    this.#held = available - keepFrom;
    this.#phase = pos - consumed * up;
    return written;
  }

  /** One-shot conversion of a whole signal, delay-compensated so events keep their times. */
  static convert(samples: Int16Array, inputRate: number, outputRate: number): Int16Array {
    if (inputRate === outputRate) return samples;
    const r = new Resampler(inputRate, outputRate);
    const padded = new Float64Array(
      samples.length + Math.ceil((r.delay * inputRate) / outputRate) + r.#taps,
    );
    padded.set(samples);
    const out = new Int16Array(r.maxOutput(padded.length));
    const n = r.process(padded, out);
    const wanted = Math.round((samples.length * outputRate) / inputRate);
    return out.slice(r.delay, Math.min(n, r.delay + wanted));
  }
}
