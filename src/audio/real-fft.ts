import { DspConfigError } from './audio-errors.js';

/**
 * Power spectrum of a real block by a half-length complex radix-2 FFT (even samples as real
 * part, odd as imaginary, then the split step). Tables are built once; `powerSpectrum`
 * allocates nothing, so it can run every frame.
 */
export class RealFft {
  readonly size: number;
  readonly #half: number;
  readonly #re: Float64Array;
  readonly #im: Float64Array;
  readonly #bitReverse: Uint16Array;
  /** e^{-2 pi i k / size} for k < size / 2: the half-size FFT uses every other one. */
  readonly #cos: Float64Array;
  readonly #sin: Float64Array;

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 4 && (size & (size - 1)) === 0 && size <= 65536)) {
      throw new DspConfigError(`FFT size ${size} must be a power of two from 4 to 65536`);
    }
    this.size = size;
    const half = size / 2;
    this.#half = half;
    this.#re = new Float64Array(half);
    this.#im = new Float64Array(half);
    this.#bitReverse = new Uint16Array(half);
    const bits = Math.log2(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.#bitReverse[i] = r;
    }
    this.#cos = new Float64Array(half);
    this.#sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      this.#cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.#sin[k] = -Math.sin((2 * Math.PI * k) / size);
    }
  }

  /** |X[k]|^2 for k = 0..size/2 of `input[0..size)` into `out` (length >= size/2 + 1). */
  powerSpectrum(input: Float64Array, out: Float64Array): void {
    const half = this.#half;
    const re = this.#re;
    const im = this.#im;
    const rev = this.#bitReverse;
    for (let i = 0; i < half; i++) {
      const j = rev[i]!;
      re[j] = input[2 * i]!;
      im[j] = input[2 * i + 1]!;
    }
    const cos = this.#cos;
    const sin = this.#sin;
    for (let len = 2; len <= half; len <<= 1) {
      const step = this.size / len; // twiddle stride in the size-point table
      const h = len >> 1;
      for (let start = 0; start < half; start += len) {
        for (let k = 0; k < h; k++) {
          const wr = cos[k * step]!;
          const wi = sin[k * step]!;
          const a = start + k;
          const b = a + h;
          const tr = re[b]! * wr - im[b]! * wi;
          const ti = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - tr;
          im[b] = im[a]! - ti;
          re[a]! += tr;
          im[a]! += ti;
        }
      }
    }
    // Split: X[k] = E[k] + W^k O[k], with E and O recovered from Z[k] and conj(Z[half - k]).
    out[0] = (re[0]! + im[0]!) ** 2;
    out[half] = (re[0]! - im[0]!) ** 2;
    for (let k = 1; k < half; k++) {
      const zr = re[k]!;
      const zi = im[k]!;
      const cr = re[half - k]!;
      const ci = -im[half - k]!;
      const er = (zr + cr) / 2;
      const ei = (zi + ci) / 2;
      // O = (Z - conj(Z[half-k])) / (2i)
      const or = (zi - ci) / 2;
      const oi = -(zr - cr) / 2;
      const wr = cos[k]!;
      const wi = sin[k]!;
      const xr = er + or * wr - oi * wi;
      const xi = ei + or * wi + oi * wr;
      out[k] = xr * xr + xi * xi;
    }
  }
}
