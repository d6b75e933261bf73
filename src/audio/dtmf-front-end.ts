import { flushDenormal, normaliseSections } from './biquad-cascade.js';
import { humFilterSections } from './dc-hum-filter.js';
import { GoertzelBank } from './goertzel-bank.js';

/**
 * The DTMF front end at 8 kHz: a 5th-order elliptic high-pass (0.3 dB ripple from 660 Hz,
 * >= 39 dB down from 50 to 480 Hz). DTMF starts at 697 Hz, while DC, hum and every
 * dial/ringback tone (350, 400, 425, 440, 450, 480 Hz) lie below 500 Hz; removing them here
 * means a caller dialling over dial tone still gives tones that dominate the window's power.
 * Group delay at 697 Hz is 2 ms, well inside the 5 ms timing resolution.
 * Designed with scipy.signal.ellip(5, 0.3, 45, 660, 'highpass', fs=8000, output='sos').
 */
export const DTMF_FRONT_END_SOS: readonly (readonly number[])[] = [
  [0.4511995544052353, -0.4511995544052353, 0.0, 1.0, -0.31339268731338255, 0.0],
  [1.0, -1.9416062068321611, 1.0000000000000004, 1.0, -1.2975174396493503, 0.6136489762323879],
  [1.0, -1.8743372705002905, 0.9999999999999998, 1.0, -1.6828216525421908, 0.9213684437038004],
];

/**
 * Everything the DTMF receiver does per sample, in one pass: the elliptic high-pass above, the
 * DC/hum high-pass on a parallel path (its extra power below 660 Hz is what speech brings),
 * both paths' energies and eight Goertzel recursions on the high-passed signal, per sub-block.
 *
 * Why fused: run as separate passes (one loop per biquad section, one per Goertzel frequency)
 * each loop is bound by its own recursion's latency, and the receiver ran at ~2000x real time.
 * In one loop the 5 sections and 8 recursions are independent chains the CPU overlaps. Every
 * value is computed with the same operations in the same order as BiquadCascade, DcHumFilter
 * and GoertzelBank.analyse, so results are bit-identical to running those one after another
 * (including the denormal flush at the end of each chunk the caller hands in).
 */
export class DtmfFrontEnd {
  readonly bank: GoertzelBank;
  readonly blockLength: number;
  /** Sum of squares of the high-passed (DTMF band) and hum-filtered signal over the last block. */
  energy = 0;
  wideEnergy = 0;
  readonly #blocks: number;
  // The last `blocks` high-passed sub-blocks, as a ring of whole sub-blocks.
  readonly #ring: Float64Array;
  #slot = 0;
  #fill = 0;
  readonly #band = normaliseSections(DTMF_FRONT_END_SOS);
  readonly #hum: Float64Array;
  /** z0 z1 per section: three band sections, then two hum sections. */
  readonly #z = new Float64Array(10);
  readonly #s1 = new Float64Array(8);
  readonly #s2 = new Float64Array(8);
  #e = 0;
  #w = 0;

  /** Eight frequencies (the receiver's four rows and four columns), `blockLength` per block. */
  constructor(frequencies: readonly number[], blockLength: number, blocks: number, rate: number) {
    this.bank = new GoertzelBank(frequencies, blockLength, rate);
    this.blockLength = blockLength;
    this.#blocks = blocks;
    this.#ring = new Float64Array(blockLength * blocks);
    this.#hum = normaliseSections(humFilterSections(rate));
  }

  /**
   * Filters up to the end of the current block; returns how many samples it took. When the block
   * is complete, `bank.re/im`, `energy` and `wideEnergy` describe it and it joins the ring.
   */
  feed(samples: ArrayLike<number>, at: number): number {
    const take = Math.min(this.blockLength - this.#fill, samples.length - at);
    this.#run(samples, at, take);
    this.#fill += take;
    if (this.#fill === this.blockLength) {
      this.#fill = 0;
      this.bank.complete(this.#s1, this.#s2);
      this.#s1.fill(0);
      this.#s2.fill(0);
      this.energy = this.#e;
      this.wideEnergy = this.#w;
      this.#e = 0;
      this.#w = 0;
      this.#slot = (this.#slot + 1) % this.#blocks;
    }
    return take;
  }

  /** Whether the last feed completed a block. */
  get blockDone(): boolean {
    return this.#fill === 0;
  }

  /** Copies the last `blocks` completed blocks into `out` in time order, oldest first. */
  copyWindow(out: Float64Array): void {
    const ring = this.#ring;
    const n = ring.length;
    const cut = this.#slot * this.blockLength;
    for (let i = cut; i < n; i++) out[i - cut] = ring[i]!;
    for (let i = 0; i < cut; i++) out[n - cut + i] = ring[i]!;
  }

  reset(): void {
    this.#z.fill(0);
    this.#s1.fill(0);
    this.#s2.fill(0);
    this.#ring.fill(0);
    this.#e = 0;
    this.#w = 0;
    this.#fill = 0;
    this.#slot = 0;
    this.bank.reset();
  }

  #run(samples: ArrayLike<number>, at: number, take: number): void {
    const c = this.#band;
    const b10 = c[0]!;
    const b11 = c[1]!;
    const b12 = c[2]!;
    const a11 = c[3]!;
    const a12 = c[4]!;
    const b20 = c[5]!;
    const b21 = c[6]!;
    const b22 = c[7]!;
    const a21 = c[8]!;
    const a22 = c[9]!;
    const b30 = c[10]!;
    const b31 = c[11]!;
    const b32 = c[12]!;
    const a31 = c[13]!;
    const a32 = c[14]!;
    const h = this.#hum;
    const h10 = h[0]!;
    const h11 = h[1]!;
    const h12 = h[2]!;
    const g11 = h[3]!;
    const g12 = h[4]!;
    const h20 = h[5]!;
    const h21 = h[6]!;
    const h22 = h[7]!;
    const g21 = h[8]!;
    const g22 = h[9]!;
    const z = this.#z;
    let u10 = z[0]!;
    let u11 = z[1]!;
    let u20 = z[2]!;
    let u21 = z[3]!;
    let u30 = z[4]!;
    let u31 = z[5]!;
    let v10 = z[6]!;
    let v11 = z[7]!;
    let v20 = z[8]!;
    let v21 = z[9]!;
    let e = this.#e;
    let w = this.#w;
    const ring = this.#ring;
    let o = this.#slot * this.blockLength + this.#fill;
    for (let i = at, end = at + take; i < end; i++) {
      const x = +samples[i]!;
      let y = b10 * x + u10;
      u10 = b11 * x - a11 * y + u11;
      u11 = b12 * x - a12 * y;
      let x2 = y;
      y = b20 * x2 + u20;
      u20 = b21 * x2 - a21 * y + u21;
      u21 = b22 * x2 - a22 * y;
      x2 = y;
      y = b30 * x2 + u30;
      u30 = b31 * x2 - a31 * y + u31;
      u31 = b32 * x2 - a32 * y;
      ring[o++] = y;
      e += y * y;
      let r = h10 * x + v10;
      v10 = h11 * x - g11 * r + v11;
      v11 = h12 * x - g12 * r;
      const r2 = r;
      r = h20 * r2 + v20;
      v20 = h21 * r2 - g21 * r + v21;
      v21 = h22 * r2 - g22 * r;
      w += r * r;
    }
    z[0] = flushDenormal(u10);
    z[1] = flushDenormal(u11);
    z[2] = flushDenormal(u20);
    z[3] = flushDenormal(u21);
    z[4] = flushDenormal(u30);
    z[5] = flushDenormal(u31);
    z[6] = flushDenormal(v10);
    z[7] = flushDenormal(v11);
    z[8] = flushDenormal(v20);
    z[9] = flushDenormal(v21);
    this.#e = e;
    this.#w = w;
    this.#goertzel(this.#slot * this.blockLength + this.#fill, take);
  }

  /** The eight recursions over the chunk just filtered, kept in locals so they overlap. */
  #goertzel(from: number, take: number): void {
    const k = this.bank.coefficients;
    const k0 = k[0]!;
    const k1 = k[1]!;
    const k2 = k[2]!;
    const k3 = k[3]!;
    const k4 = k[4]!;
    const k5 = k[5]!;
    const k6 = k[6]!;
    const k7 = k[7]!;
    const p = this.#s1;
    const q = this.#s2;
    let p0 = p[0]!;
    let p1 = p[1]!;
    let p2 = p[2]!;
    let p3 = p[3]!;
    let p4 = p[4]!;
    let p5 = p[5]!;
    let p6 = p[6]!;
    let p7 = p[7]!;
    let q0 = q[0]!;
    let q1 = q[1]!;
    let q2 = q[2]!;
    let q3 = q[3]!;
    let q4 = q[4]!;
    let q5 = q[5]!;
    let q6 = q[6]!;
    let q7 = q[7]!;
    const ring = this.#ring;
    for (let i = from, end = from + take; i < end; i++) {
      const x = ring[i]!;
      let s = x + k0 * p0 - q0;
      q0 = p0;
      p0 = s;
      s = x + k1 * p1 - q1;
      q1 = p1;
      p1 = s;
      s = x + k2 * p2 - q2;
      q2 = p2;
      p2 = s;
      s = x + k3 * p3 - q3;
      q3 = p3;
      p3 = s;
      s = x + k4 * p4 - q4;
      q4 = p4;
      p4 = s;
      s = x + k5 * p5 - q5;
      q5 = p5;
      p5 = s;
      s = x + k6 * p6 - q6;
      q6 = p6;
      p6 = s;
      s = x + k7 * p7 - q7;
      q7 = p7;
      p7 = s;
    }
    p[0] = p0;
    p[1] = p1;
    p[2] = p2;
    p[3] = p3;
    p[4] = p4;
    p[5] = p5;
    p[6] = p6;
    p[7] = p7;
    q[0] = q0;
    q[1] = q1;
    q[2] = q2;
    q[3] = q3;
    q[4] = q4;
    q[5] = q5;
    q[6] = q6;
    q[7] = q7;
  }
}
