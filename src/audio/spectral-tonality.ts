import { RealFft } from './real-fft.js';

/** 32 ms at 8 kHz: 31 Hz bins, long enough to resolve each tone of a pair 40 Hz apart. */
export const TONALITY_BLOCK = 256;
// A tone in a Hann window keeps > 99 % of its power within +-2 bins of its peak bin.
const HALF_WIDTH = 2;
// Call-progress and DTMF signals are one or two simultaneous tones.
const PEAKS = 2;

/**
 * How much of a block's in-band (300-3500 Hz, above mains hum harmonics) power sits in its two strongest narrow spectral
 * peaks: ~1 for DTMF, dial, busy, ringback and fax tones (still > 0.95 with line noise 15 dB
 * down and after G.711), lower for speech, whose voiced frames spread power over a harmonic
 * series and unvoiced frames over whole bands. Some voiced frames of low male voices reach it
 * too (two strong harmonics at the first formant), so a caller of the measure must not rely on
 * single frames: see VoiceActivityDetector. Allocation-free.
 */
export class SpectralTonality {
  readonly #fft = new RealFft(TONALITY_BLOCK);
  readonly #window = new Float64Array(TONALITY_BLOCK);
  readonly #block = new Float64Array(TONALITY_BLOCK);
  readonly #power = new Float64Array(TONALITY_BLOCK / 2 + 1);
  readonly #lowBin: number;
  readonly #highBin: number;

  constructor(sampleRate = 8000) {
    const n = TONALITY_BLOCK;
    for (let i = 0; i < n; i++) this.#window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    this.#lowBin = Math.max(1, Math.round((300 * n) / sampleRate));
    this.#highBin = Math.min(n / 2 - 1, Math.round((3500 * n) / sampleRate));
  }

  /**
   * Share (0..1) of the in-band power within two peaks' main lobes, over the TONALITY_BLOCK
   * samples of the ring `history` (same length) starting at its oldest sample `oldest`.
   * `noiseMeanSquare`: the line's noise power per sample, if known. 0 for a silent block.
   */
  measure(history: Float64Array, oldest: number, noiseMeanSquare = 0): number {
    const n = TONALITY_BLOCK;
    const block = this.#block;
    const w = this.#window;
    for (let i = 0, j = oldest; i < n; i++, j = j + 1 === n ? 0 : j + 1)
      block[i] = history[j]! * w[i]!;
    const p = this.#power;
    this.#fft.powerSpectrum(block, p);
    const lo = this.#lowBin;
    const hi = this.#highBin;
    let total = 0;
    for (let k = lo; k <= hi; k++) total += p[k]!;
    if (!(total > 0)) return 0;
    let inPeaks = 0;
    for (let m = 0; m < PEAKS; m++) {
      let best = lo;
      for (let k = lo + 1; k <= hi; k++) if (p[k]! > p[best]!) best = k;
      if (!(p[best]! >= 0)) break;
      const to = Math.min(hi, best + HALF_WIDTH);
      for (let k = Math.max(lo, best - HALF_WIDTH); k <= to; k++) {
        if (p[k]! > 0) inPeaks += p[k]!;
        p[k] = -1; // taken: the next peak cannot count these bins again
      }
    }
    // Line noise under a tone is not evidence against it: discount the part of the known noise
    // floor that falls outside the peaks (one-sided spectrum of noise through the window:
    // size/2 * sum(w^2) * mean square, the window's sum(w^2) being 3/8 size).
    const bins = hi - lo + 1;
    const outside = Math.max(0, bins - PEAKS * (2 * HALF_WIDTH + 1)) / bins;
    const noise = (n / 2) * ((3 * n) / 8) * noiseMeanSquare * outside;
    const rest = Math.max(0, total - inPeaks - noise);
    return inPeaks / (inPeaks + rest);
  }
}
