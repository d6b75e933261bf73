/**
 * A bank of complex Goertzel filters evaluated over consecutive fixed-length blocks.
 *
 * Each block's result is the DFT value at each frequency, rotated to a common (global) phase
 * reference: for a steady tone exactly at the nominal frequency the result is the same complex
 * number block after block; a tone off by d Hz turns by 2*pi*d*N/fs per block. Summing blocks
 * then gives the DFT of a longer window, and the turn between blocks measures the frequency
 * error, which is how the DTMF receiver tells a +-1.5 % tone from a +-3.5 % one without a long,
 * slow window.
 */
export class GoertzelBank {
  readonly frequencies: Float64Array;
  readonly blockLength: number;
  /** Results of the last block: real and imaginary parts per frequency (global phase). */
  readonly re: Float64Array;
  readonly im: Float64Array;
  /** Goertzel recursion coefficient 2*cos(w) per frequency. */
  readonly coefficients: Float64Array;
  readonly #s1: Float64Array;
  readonly #s2: Float64Array;
  // X = e^{-jw(N-1)} s1 - e^{-jwN} s2; these are the cos/sin of those two angles.
  readonly #cosA: Float64Array;
  readonly #sinA: Float64Array;
  readonly #cosB: Float64Array;
  readonly #sinB: Float64Array;
  // Phasor e^{-jw N k} for block k, kept as a rotating unit vector.
  readonly #rotRe: Float64Array;
  readonly #rotIm: Float64Array;
  readonly #stepRe: Float64Array;
  readonly #stepIm: Float64Array;

  constructor(frequencies: readonly number[], blockLength: number, sampleRate: number) {
    const n = frequencies.length;
    this.frequencies = Float64Array.from(frequencies);
    this.blockLength = blockLength;
    this.re = new Float64Array(n);
    this.im = new Float64Array(n);
    this.coefficients = new Float64Array(n);
    this.#s1 = new Float64Array(n);
    this.#s2 = new Float64Array(n);
    this.#cosA = new Float64Array(n);
    this.#sinA = new Float64Array(n);
    this.#cosB = new Float64Array(n);
    this.#sinB = new Float64Array(n);
    this.#rotRe = new Float64Array(n).fill(1);
    this.#rotIm = new Float64Array(n);
    this.#stepRe = new Float64Array(n);
    this.#stepIm = new Float64Array(n);
    for (let f = 0; f < n; f++) {
      const w = (2 * Math.PI * frequencies[f]!) / sampleRate;
      this.coefficients[f] = 2 * Math.cos(w);
      this.#cosA[f] = Math.cos(w * (blockLength - 1));
      this.#sinA[f] = Math.sin(w * (blockLength - 1));
      this.#cosB[f] = Math.cos(w * blockLength);
      this.#sinB[f] = Math.sin(w * blockLength);
      this.#stepRe[f] = Math.cos(w * blockLength);
      this.#stepIm[f] = -Math.sin(w * blockLength);
    }
  }

  /** Analyses block[0..blockLength) and leaves the results in `re`/`im`. */
  analyse(block: Float64Array): void {
    const len = this.blockLength;
    const n = this.coefficients.length;
    for (let f = 0; f < n; f++) {
      const coeff = this.coefficients[f]!;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < len; i++) {
        const s0 = block[i]! + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      this.#s1[f] = s1;
      this.#s2[f] = s2;
    }
    this.complete(this.#s1, this.#s2);
  }

  /**
   * Turns the final Goertzel states of one block into `re`/`im`, for callers that run the
   * recursion `s0 = x + coefficients[f] * s1 - s2` themselves, fused with other per-sample work.
   */
  complete(state1: Float64Array, state2: Float64Array): void {
    const n = this.coefficients.length;
    for (let f = 0; f < n; f++) {
      const s1 = state1[f]!;
      const s2 = state2[f]!;
      const xr = this.#cosA[f]! * s1 - this.#cosB[f]! * s2;
      const xi = -this.#sinA[f]! * s1 + this.#sinB[f]! * s2;
      const rr = this.#rotRe[f]!;
      const ri = this.#rotIm[f]!;
      this.re[f] = xr * rr - xi * ri;
      this.im[f] = xr * ri + xi * rr;
      // Advance the phase reference by one block; renormalise so rounding cannot drift the gain.
      const sr = this.#stepRe[f]!;
      const si = this.#stepIm[f]!;
      let nr = rr * sr - ri * si;
      let ni = rr * si + ri * sr;
      const mag = Math.sqrt(nr * nr + ni * ni);
      nr /= mag;
      ni /= mag;
      this.#rotRe[f] = nr;
      this.#rotIm[f] = ni;
    }
  }

  reset(): void {
    this.#rotRe.fill(1);
    this.#rotIm.fill(0);
    this.re.fill(0);
    this.im.fill(0);
  }
}
