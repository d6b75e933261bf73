import type { DtmfReceiverOptions } from './dtmf-options.js';
import { hypot2 } from './hypot2.js';
import { dbm0ToPeak } from './levels.js';

/**
 * The per-window tests of a DTMF candidate, on Goertzel results for the 8 DTMF frequencies
 * (indices 0-3 rows, 4-7 columns), one complex value per
 * sub-block in global phase. Results are left in fields so the caller allocates nothing.
 */
export class DtmfWindowCheck {
  /** Digit index row*4+col that passed every test, or -1. */
  digit = -1;
  /** Window sums (DFT over the window) of the 8 fundamentals. */
  readonly sumRe = new Float64Array(8);
  readonly sumIm = new Float64Array(8);
  /** Peak amplitude of the chosen row / column tone, frequency-error compensated. */
  rowAmplitude = 0;
  /** Share of the window power in the two chosen tones (1 = nothing else). */
  purity = 0;
  colAmplitude = 0;
  /** Sum over the window of G[j] * conj(G[j-1]) for the chosen tones: their phase turn. */
  rowTurnRe = 0;
  rowTurnIm = 0;
  colTurnRe = 0;
  colTurnIm = 0;
  readonly #length: number;
  readonly #minPeak: number;
  readonly #twistLow: number;
  readonly #twistHigh: number;
  readonly #peakRatio: number;
  readonly #harmonicRatio: number;
  readonly #minPurity: number;
  readonly #energy = new Float64Array(8);

  /** `length` is the window length in samples (sub-block length times sub-blocks). */
  constructor(opts: DtmfReceiverOptions, length: number) {
    this.#length = length;
    this.#minPeak = dbm0ToPeak(opts.minLevelDbm0);
    // Amplitude ratio col/row limits.
    this.#twistLow = 10 ** (-opts.maxNormalTwistDb / 20);
    this.#twistHigh = 10 ** (opts.maxReverseTwistDb / 20);
    this.#peakRatio = 10 ** (-opts.relativePeakDb / 10);
    this.#harmonicRatio = 10 ** (-opts.secondHarmonicDb / 10);
    this.#minPurity = opts.minPurity;
  }

  /**
   * gRe/gIm hold `win` sub-blocks per frequency in a ring (index f*win + slot); `oldest` is the
   * slot of the first sub-block of the window. `energy` holds each sub-block's sum of squares.
   */
  evaluate(
    gRe: Float64Array,
    gIm: Float64Array,
    energy: Float64Array,
    win: number,
    oldest: number,
    held: number,
  ): void {
    this.digit = -1;
    this.purity = 0;
    const e = this.#energy;
    for (let f = 0; f < 8; f++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < win; j++) {
        sr += gRe[f * win + j]!;
        si += gIm[f * win + j]!;
      }
      this.sumRe[f] = sr;
      this.sumIm[f] = si;
      e[f] = sr * sr + si * si;
    }
    const row = argmax(e, 0);
    const col = argmax(e, 4);
    // Frequency-error compensation: a tone 1.5 % off at 1633 Hz loses 2 dB in a 15 ms window at
    // the nominal frequency; undoing the measured phase turn restores it, so twist and level
    // are judged on the true tone strength.
    this.#turn(gRe, gIm, win, oldest, row);
    this.rowTurnRe = this.#tr;
    this.rowTurnIm = this.#ti;
    const rowEnergy = Math.max(e[row]!, this.#dechirped(gRe, gIm, win, oldest, row));
    this.#turn(gRe, gIm, win, oldest, col);
    this.colTurnRe = this.#tr;
    this.colTurnIm = this.#ti;
    const colEnergy = Math.max(e[col]!, this.#dechirped(gRe, gIm, win, oldest, col));
    const n = this.#length;
    this.rowAmplitude = (2 * Math.sqrt(rowEnergy)) / n;
    this.colAmplitude = (2 * Math.sqrt(colEnergy)) / n;

    // A key already accepted keeps going on looser limits (hysteresis), so a tone near one
    // limit is not chopped into several presses by noise.
    const d = row * 4 + (col - 4);
    const slack = d === held ? HOLD_SLACK : 1;
    if (this.rowAmplitude * slack < this.#minPeak || this.colAmplitude * slack < this.#minPeak)
      return;
    const twist = this.colAmplitude / this.rowAmplitude;
    if (twist * slack < this.#twistLow || twist > this.#twistHigh * slack) return;
    const peakRatio = this.#peakRatio * slack * slack;
    for (let f = 0; f < 4; f++) {
      if (f !== row && e[f]! > rowEnergy * peakRatio) return;
      if (f + 4 !== col && e[f + 4]! > colEnergy * peakRatio) return;
    }
    // For 2, 6 and C the row's second harmonic lies 58-71 Hz from the column tone, inside the
    // window's main lobe, so the column itself would fail the row test; check the column only.
    let total = 0;
    for (let j = 0; j < win; j++) total += energy[j]!;
    // Tone power (A^2/2 per tone) against the window's mean square.
    this.purity = (this.rowAmplitude ** 2 + this.colAmplitude ** 2) / 2 / Math.max(total / n, 1e-9);
    if (this.purity * slack * slack < this.#minPurity) return;
    this.digit = d;
    this.#slack = slack;
    this.#rowEnergy = rowEnergy;
    this.#colEnergy = colEnergy;
  }

  #slack = 1;
  #rowEnergy = 0;
  #colEnergy = 0;

  /**
   * Second-harmonic test for the digit `evaluate` just accepted, on the window's samples in time
   * order. Done only for candidates (rare) instead of running 8 more filters on every sample.
   */
  harmonicsOk(window: Float64Array, rowHz: number, colHz: number, sampleRate: number): boolean {
    const ratio = this.#harmonicRatio * this.#slack * this.#slack;
    if (
      !ROW_HARMONIC_MASKED[this.digit] &&
      goertzelEnergy(window, 2 * rowHz, sampleRate) > this.#rowEnergy * ratio
    ) {
      return false;
    }
    return goertzelEnergy(window, 2 * colHz, sampleRate) <= this.#colEnergy * ratio;
  }

  #tr = 0;
  #ti = 0;

  #turn(gRe: Float64Array, gIm: Float64Array, win: number, oldest: number, f: number): void {
    let tr = 0;
    let ti = 0;
    // oldest < win, so one conditional subtraction wraps the ring index (no integer division).
    let b = f * win + oldest;
    for (let j = 1; j < win; j++) {
      const a = f * win + (oldest + j < win ? oldest + j : oldest + j - win);
      tr += gRe[a]! * gRe[b]! + gIm[a]! * gIm[b]!;
      ti += gIm[a]! * gRe[b]! - gRe[a]! * gIm[b]!;
      b = a;
    }
    this.#tr = tr;
    this.#ti = ti;
  }

  /** Energy of the window sum after undoing the measured turn (#tr/#ti) between sub-blocks. */
  #dechirped(gRe: Float64Array, gIm: Float64Array, win: number, oldest: number, f: number): number {
    const mag = hypot2(this.#tr, this.#ti);
    if (mag === 0) return 0;
    const cr = this.#tr / mag;
    const ci = -this.#ti / mag;
    let rr = 1;
    let ri = 0;
    let sr = 0;
    let si = 0;
    for (let j = 0; j < win; j++) {
      const a = f * win + (oldest + j < win ? oldest + j : oldest + j - win);
      sr += gRe[a]! * rr - gIm[a]! * ri;
      si += gRe[a]! * ri + gIm[a]! * rr;
      const nr = rr * cr - ri * ci;
      ri = rr * ci + ri * cr;
      rr = nr;
    }
    return sr * sr + si * si;
  }
}

/** Amplitude factor (3 dB) by which limits relax for a key already accepted. */
const HOLD_SLACK = Math.SQRT2;

const ROW_HARMONIC_MASKED: readonly boolean[] = Array.from({ length: 16 }, (_, d) => {
  const rowHz = [697, 770, 852, 941][d >> 2]!;
  const colHz = [1209, 1336, 1477, 1633][d & 3]!;
  return Math.abs(2 * rowHz - colHz) < 120;
});

function goertzelEnergy(x: Float64Array, hz: number, sampleRate: number): number {
  const w = (2 * Math.PI * hz) / sampleRate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s0 = x[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

function argmax(values: Float64Array, from: number): number {
  let best = from;
  for (let i = from + 1; i < from + 4; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
