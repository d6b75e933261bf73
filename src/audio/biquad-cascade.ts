/**
 * Cascade of second-order IIR sections (SciPy "sos" layout: b0 b1 b2 a0 a1 a2 per section,
 * a0 = 1), direct form II transposed. Streaming (state persists), allocation-free.
 */
export class BiquadCascade {
  readonly #coef: Float64Array;
  readonly #state: Float64Array;
  readonly #sections: number;

  constructor(sos: readonly (readonly number[])[]) {
    this.#sections = sos.length;
    this.#coef = normaliseSections(sos);
    this.#state = new Float64Array(sos.length * 2);
  }

  /**
   * Filters `length` samples from `input[inStart..]` into `output[outStart..]`. Offsets rather
   * than subarrays so a caller's per-frame loop allocates nothing. In-place use is allowed.
   */
  process(
    input: ArrayLike<number>,
    output: Float32Array | Float64Array,
    length = input.length,
    inStart = 0,
    outStart = 0,
  ): void {
    const c = this.#coef;
    const st = this.#state;
    for (let i = 0; i < length; i++) output[outStart + i] = input[inStart + i]!;
    for (let s = 0; s < this.#sections; s++) {
      const b0 = c[s * 5]!;
      const b1 = c[s * 5 + 1]!;
      const b2 = c[s * 5 + 2]!;
      const a1 = c[s * 5 + 3]!;
      const a2 = c[s * 5 + 4]!;
      let z0 = st[s * 2]!;
      let z1 = st[s * 2 + 1]!;
      for (let i = outStart, end = outStart + length; i < end; i++) {
        const x = output[i]!;
        const y = b0 * x + z0;
        z0 = b1 * x - a1 * y + z1;
        z1 = b2 * x - a2 * y;
        output[i] = y;
      }
      // Flush denormals: after long silence the state decays into subnormal floats, which are
      // many times slower to compute with on ARM and x86 alike.
      st[s * 2] = flushDenormal(z0);
      st[s * 2 + 1] = flushDenormal(z1);
    }
  }

  reset(): void {
    this.#state.fill(0);
  }
}

/** Filter state this close to zero is set to zero (see BiquadCascade.process). */
export function flushDenormal(z: number): number {
  return Math.abs(z) < 1e-25 ? 0 : z;
}

/**
 * SciPy "sos" rows to b0 b1 b2 a1 a2 per section divided by a0, the layout every biquad loop
 * here runs on. Shared so a fused loop elsewhere computes bit-for-bit what BiquadCascade does.
 */
export function normaliseSections(sos: readonly (readonly number[])[]): Float64Array {
  const coef = new Float64Array(sos.length * 5);
  sos.forEach((s, i) => {
    const a0 = s[3]!;
    coef.set([s[0]! / a0, s[1]! / a0, s[2]! / a0, s[4]! / a0, s[5]! / a0], i * 5);
  });
  return coef;
}

/** Butterworth high-pass sections (order 2 per section) designed with the bilinear transform. */
export function butterworthHighPass(
  order: 2 | 4 | 6,
  cornerHz: number,
  sampleRate: number,
): number[][] {
  const w = (2 * Math.PI * cornerHz) / sampleRate;
  const cos = Math.cos(w);
  const sections: number[][] = [];
  const pairs = order / 2;
  for (let k = 0; k < pairs; k++) {
    // Pole-pair Q of an order-n Butterworth: 1 / (2 cos(theta_k)).
    const q = 1 / (2 * Math.cos((Math.PI * (2 * k + 1)) / (2 * order)));
    const alpha = Math.sin(w) / (2 * q);
    sections.push([(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha]);
  }
  return sections;
}
