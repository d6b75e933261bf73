import { AudioFormatError } from './audio-errors.js';
import { DTMF_COLUMNS, DTMF_ROWS, type DtmfSymbol, KEYPAD } from './dtmf-frequencies.js';
import { DtmfFrontEnd } from './dtmf-front-end.js';
import { type DtmfReceiverOptions, resolveDtmfOptions } from './dtmf-options.js';
import { DtmfWindowCheck } from './dtmf-window-check.js';
import { hypot2 } from './hypot2.js';

export type DtmfEvent =
  /** The key is down and has been for the minimum duration; sent once per key press. */
  | { kind: 'press'; digit: DtmfSymbol; startMs: number }
  /** The key was released; same `startMs` as its press, plus how long it lasted. */
  | { kind: 'release'; digit: DtmfSymbol; startMs: number; durationMs: number };

export type DtmfEventSink = (event: DtmfEvent) => void;

/** The only rate the receiver runs at; other rates go through the resampler first. */
export const DTMF_SAMPLE_RATE = 8000;
// 5 ms sub-blocks: fine enough to time a 40 ms tone against a 20 ms one.
const SUB = 40;
// Sub-blocks per analysis window (15 ms): long enough to separate rows 73 Hz apart.
const WIN = 3;
// Per-sub-block tone amplitudes kept for timing a key press (640 ms of history).
const AMP_RING = 128;
const HIST = WIN + 1;
// Background learning: ~150 ms time constant per 5 ms sub-block; steady means it changes by
// less than 1.5 dB on average. Per 5 ms the beat of a two-tone dial tone swings its power to about
// twice its mean, hence the 2.5x margin when discounting it.
const BACKGROUND_RATE = 1 / 30;
const LOW_SPAN = 8;
const STEADY_WANDER_DB = 1.5;
const BACKGROUND_MARGIN = 2.5;
const SYMBOLS: DtmfSymbol[] = KEYPAD.flat();
const EMPTY_SPREAD = [
  Infinity,
  -Infinity,
  Infinity,
  -Infinity,
  Infinity,
  -Infinity,
  Infinity,
  -Infinity,
];

function widen(spread: Float64Array, at: number, value: number): void {
  if (value < spread[at]!) spread[at] = value;
  if (value > spread[at + 1]!) spread[at + 1] = value;
}

/**
 * Streaming DTMF receiver for 8 kHz telephone audio.
 *
 * Every 5 ms a 15 ms window is tested by DtmfWindowCheck (level, twist, relative peak, purity,
 * second harmonic). A candidate becomes a key press when (a) the tone's own per-5-ms amplitude
 * shows it present for at least minDurationMs, which times the tone independently of its level,
 * and (b) the frequency error measured from the phase turn between blocks is within
 * maxDeviation. It is released after maxDropoutMs of absence. Allocation-free per sample.
 */
export class DtmfReceiver {
  readonly #opts: DtmfReceiverOptions;
  // Per-sample work: DTMF-band high-pass, a parallel DC/hum-only path (its extra power below
  // 660 Hz is what speech, with pitch harmonics and first formant, brings along with any
  // tone-like components), energies and the 8 Goertzel filters.
  readonly #front: DtmfFrontEnd;
  // Steady low-band background (dial tone): running mean and mean absolute change in dB.
  readonly #lowRing = new Float64Array(8);
  #bgMean = 0;
  #bgWander = 0;
  #bgCount = 0;
  readonly #check: DtmfWindowCheck;
  /** Index of the next sub-block to complete; also the stream clock in 5 ms units. */
  #k = 0;
  readonly #gRe = new Float64Array(8 * WIN);
  readonly #gIm = new Float64Array(8 * WIN);
  /** The last window of front-end output in time order, for the second-harmonic test. */
  readonly #window = new Float64Array(SUB * WIN);
  readonly #energy = new Float64Array(WIN);
  readonly #amp = new Float32Array(8 * AMP_RING);
  readonly #histRe = new Float64Array(8 * HIST);
  readonly #histIm = new Float64Array(8 * HIST);
  readonly #histDigit = new Int8Array(HIST).fill(-1);
  // Key-press tracking.
  #digit = -1;
  #pressed = false;
  #firstSub = 0;
  #startSub = 0;
  #misses = 0;
  #refRow = 0;
  #refCol = 0;
  // Phase-turn sums for the frequency error: lag of one sub-block and of one window, row and column.
  readonly #turn = new Float64Array(8);
  #longTurns = 0;
  /** Min/max pairs over the steady part: row and column relative deviation, then levels in dB. */
  readonly #spread = new Float64Array(8);

  constructor(options: Partial<DtmfReceiverOptions> = {}) {
    this.#opts = resolveDtmfOptions(options);
    const freqs = [...DTMF_ROWS, ...DTMF_COLUMNS];
    this.#front = new DtmfFrontEnd(freqs, SUB, WIN, DTMF_SAMPLE_RATE);
    this.#check = new DtmfWindowCheck(this.#opts, SUB * WIN);
  }

  /** Feeds 8 kHz samples (any count, including partial frames); events go to `sink`. */
  process(samples: ArrayLike<number>, sink: DtmfEventSink): void {
    const front = this.#front;
    let at = 0;
    while (at < samples.length) {
      at += front.feed(samples, at);
      if (front.blockDone) this.#analyse(sink);
    }
  }

  /** End of stream: pads with silence so a key still down at the end is released. */
  flush(sink: DtmfEventSink): void {
    const silence = new Float64Array(SUB);
    for (let i = 0; i < 12 && this.#digit >= 0; i++) this.process(silence, sink);
  }

  #analyse(sink: DtmfEventSink): void {
    const front = this.#front;
    const k = this.#k++;
    const slot = k % WIN;
    const e = front.energy;
    this.#energy[slot] = e + this.#unexplainedLowBand(Math.max(0, front.wideEnergy - e));
    const re = front.bank.re;
    const im = front.bank.im;
    for (let f = 0; f < 8; f++) {
      this.#gRe[f * WIN + slot] = re[f]!;
      this.#gIm[f * WIN + slot] = im[f]!;
    }
    const ampSlot = k % AMP_RING;
    for (let f = 0; f < 8; f++)
      this.#amp[f * AMP_RING + ampSlot] = (2 * hypot2(re[f]!, im[f]!)) / SUB;
    if (k + 1 < WIN) return;

    const check = this.#check;
    check.evaluate(
      this.#gRe,
      this.#gIm,
      this.#energy,
      WIN,
      (k + 1) % WIN,
      this.#pressed ? this.#digit : -1,
    );
    let d = check.digit;
    if (d >= 0) {
      front.copyWindow(this.#window);
      if (
        !check.harmonicsOk(this.#window, DTMF_ROWS[d >> 2]!, DTMF_COLUMNS[d & 3]!, DTMF_SAMPLE_RATE)
      )
        d = -1;
    }
    const hist = k % HIST;
    for (let f = 0; f < 8; f++) {
      this.#histRe[f * HIST + hist] = check.sumRe[f]!;
      this.#histIm[f * HIST + hist] = check.sumIm[f]!;
    }
    this.#histDigit[hist] = d;
    if (d >= 0) this.#onCandidate(d, k, sink);
    else this.#onMiss(k, sink);
  }

  /**
   * Low-band power (below the front end's 660 Hz edge) that counts against a candidate's purity.
   * Voiced speech that imitates a key press carries strong pitch harmonics down there, so it
   * must count; a dial tone the caller dials over is steady for hundreds of ms, so its learnt
   * level is discounted. The background is only learnt while no key is being tracked.
   */
  #unexplainedLowBand(low: number): number {
    // Judge steadiness on 40 ms sums: two-tone dial tones beat at 40-140 Hz, which makes 5 ms
    // energies flicker while 40 ms sums hold still.
    const ring = this.#lowRing;
    ring[this.#k % LOW_SPAN] = low;
    let sum = 0;
    for (let i = 0; i < LOW_SPAN; i++) sum += ring[i]!;
    if (this.#digit < 0) {
      this.#bgCount++;
      if (this.#bgCount <= LOW_SPAN) {
        this.#bgMean = sum;
      } else {
        const a = Math.max(BACKGROUND_RATE, 1 / (this.#bgCount - LOW_SPAN));
        const change = Math.abs(10 * Math.log10((sum + 1) / (this.#bgMean + 1)));
        this.#bgWander += a * (change - this.#bgWander);
        this.#bgMean += a * (sum - this.#bgMean);
      }
    }
    const steady = this.#bgCount > 2 * LOW_SPAN && this.#bgWander < STEADY_WANDER_DB;
    return steady ? Math.max(0, low - (BACKGROUND_MARGIN * this.#bgMean) / LOW_SPAN) : low;
  }

  #onCandidate(d: number, k: number, sink: DtmfEventSink): void {
    if (d !== this.#digit) {
      if (this.#digit >= 0) this.#finish(k, sink);
      this.#digit = d;
      this.#pressed = false;
      this.#firstSub = k - WIN + 1;
      this.#refRow = 0;
      this.#refCol = 0;
      this.#turn.fill(0);
      this.#longTurns = 0;
      this.#spread.set(EMPTY_SPREAD);
    }
    this.#misses = 0;
    const check = this.#check;
    const row = d >> 2;
    const col = 4 + (d & 3);
    this.#refRow = Math.max(this.#refRow, check.rowAmplitude);
    this.#refCol = Math.max(this.#refCol, check.colAmplitude);
    const t = this.#turn;
    t[0]! += check.rowTurnRe;
    t[1]! += check.rowTurnIm;
    t[2]! += check.colTurnRe;
    t[3]! += check.colTurnIm;
    const then = (k + 1) % HIST; // the window that ended WIN sub-blocks ago
    if (this.#histDigit[then] === d) {
      // Both this window and the one a window-length ago passed: the tone has been there for a
      // while, so these figures describe its steady part. Speech that mimics a key press glides
      // in pitch and level; a key press does not.
      this.#longTurns++;
      const now = k % HIST;
      const sp = this.#spread;
      this.#addLongTurn(row, then, now, 4);
      widen(sp, 0, this.#offsetHz(t[0]!, t[1]!, this.#lr, this.#li, true) / DTMF_ROWS[d >> 2]!);
      this.#addLongTurn(col, then, now, 6);
      widen(sp, 2, this.#offsetHz(t[2]!, t[3]!, this.#lr, this.#li, true) / DTMF_COLUMNS[d & 3]!);
      widen(sp, 4, Math.log10(check.rowAmplitude) * 20);
      widen(sp, 6, Math.log10(check.colAmplitude) * 20);
    }
    if (!this.#pressed) this.#tryPress(d, k, sink);
  }

  #lr = 0;
  #li = 0;

  /** Adds window(now) * conj(window(then)) for tone f to the turn sums; leaves it in #lr/#li. */
  #addLongTurn(f: number, then: number, now: number, into: number): void {
    const ar = this.#histRe[f * HIST + now]!;
    const ai = this.#histIm[f * HIST + now]!;
    const br = this.#histRe[f * HIST + then]!;
    const bi = this.#histIm[f * HIST + then]!;
    this.#lr = ar * br + ai * bi;
    this.#li = ai * br - ar * bi;
    this.#turn[into]! += this.#lr;
    this.#turn[into + 1]! += this.#li;
  }

  #tryPress(d: number, k: number, sink: DtmfEventSink): void {
    const from = Math.max(this.#firstSub - 1, k - AMP_RING + 1, 0);
    let count = 0;
    let first = -1;
    for (let m = from; m <= k; m++) {
      if (this.#isOn(d, m)) {
        count++;
        if (first < 0) first = m;
      }
    }
    if (count * SUB < (this.#opts.minDurationMs * DTMF_SAMPLE_RATE) / 1000) return;
    if (this.#longTurns < 2 || !this.#frequencyOk(d) || !this.#steady()) return;
    this.#pressed = true;
    this.#startSub = first;
    sink({ kind: 'press', digit: SYMBOLS[d]!, startMs: this.#ms(first) });
  }

  /** Whether sub-block m carries both tones of digit d at half their steady amplitude or more. */
  #isOn(d: number, m: number): boolean {
    const slot = m % AMP_RING;
    const row = d >> 2;
    const col = 4 + (d & 3);
    return (
      this.#amp[row * AMP_RING + slot]! >= 0.5 * this.#refRow &&
      this.#amp[col * AMP_RING + slot]! >= 0.5 * this.#refCol
    );
  }

  /** Frequency and level of both tones held still while the key was down. */
  #steady(): boolean {
    const sp = this.#spread;
    const o = this.#opts;
    return (
      sp[1]! - sp[0]! <= o.maxFrequencyWander &&
      sp[3]! - sp[2]! <= o.maxFrequencyWander &&
      sp[5]! - sp[4]! <= o.maxLevelWanderDb &&
      sp[7]! - sp[6]! <= o.maxLevelWanderDb
    );
  }

  #frequencyOk(d: number): boolean {
    const t = this.#turn;
    const rowHz = DTMF_ROWS[d >> 2]!;
    const colHz = DTMF_COLUMNS[d & 3]!;
    const long = this.#longTurns > 0;
    const rowDev = this.#offsetHz(t[0]!, t[1]!, t[4]!, t[5]!, long) / rowHz;
    const colDev = this.#offsetHz(t[2]!, t[3]!, t[6]!, t[7]!, long) / colHz;
    return (
      Math.abs(rowDev) <= this.#opts.maxDeviation && Math.abs(colDev) <= this.#opts.maxDeviation
    );
  }

  /**
   * Frequency offset in Hz from the phase turn per sub-block (coarse, unambiguous to +-100 Hz)
   * refined by the turn per window (3x finer, ambiguous every 66.7 Hz).
   */
  #offsetHz(
    shortRe: number,
    shortIm: number,
    longRe: number,
    longIm: number,
    long: boolean,
  ): number {
    const coarse = (Math.atan2(shortIm, shortRe) * DTMF_SAMPLE_RATE) / (2 * Math.PI * SUB);
    if (!long) return coarse;
    const step = DTMF_SAMPLE_RATE / (SUB * WIN);
    const fine = (Math.atan2(longIm, longRe) * DTMF_SAMPLE_RATE) / (2 * Math.PI * SUB * WIN);
    return fine + Math.round((coarse - fine) / step) * step;
  }

  #onMiss(k: number, sink: DtmfEventSink): void {
    if (this.#digit < 0) return;
    this.#misses++;
    if (this.#misses * SUB > (this.#opts.maxDropoutMs * DTMF_SAMPLE_RATE) / 1000)
      this.#finish(k, sink);
  }

  #finish(k: number, sink: DtmfEventSink): void {
    const d = this.#digit;
    this.#digit = -1;
    if (!this.#pressed) return;
    this.#pressed = false;
    let last = k;
    const stop = Math.max(this.#startSub, k - AMP_RING + 1);
    while (last > stop && !this.#isOn(d, last)) last--;
    sink({
      kind: 'release',
      digit: SYMBOLS[d]!,
      startMs: this.#ms(this.#startSub),
      durationMs: this.#ms(last + 1) - this.#ms(this.#startSub),
    });
  }

  #ms(sub: number): number {
    return (sub * SUB * 1000) / DTMF_SAMPLE_RATE;
  }

  reset(): void {
    this.#front.reset();
    this.#lowRing.fill(0);
    this.#bgMean = 0;
    this.#bgWander = 0;
    this.#bgCount = 0;
    this.#k = 0;
    this.#digit = -1;
    this.#pressed = false;
    this.#histDigit.fill(-1);
    this.#gRe.fill(0);
    this.#gIm.fill(0);
    this.#energy.fill(0);
    this.#amp.fill(0);
    this.#window.fill(0);
  }

  /** Samples per second this receiver expects; anything else must be resampled first. */
  static assertRate(sampleRate: number): void {
    if (sampleRate !== DTMF_SAMPLE_RATE) {
      throw new AudioFormatError(
        `DTMF receiver runs at 8000 Hz, got ${sampleRate} Hz: resample first`,
      );
    }
  }
}
