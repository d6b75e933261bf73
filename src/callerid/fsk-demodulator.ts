import { DspConfigError } from '../audio/audio-errors.js';
import { DcHumFilter } from '../audio/dc-hum-filter.js';
import { dbm0ToPeak } from '../audio/levels.js';
import { FSK_STANDARDS, type FskStandardName } from './fsk-standards.js';

export type FskEvent =
  /** A steady mark long enough to precede a message: the next byte may be its type. */
  | { kind: 'mark'; atSample: number; toneFit: number }
  /** One asynchronous character; `confidence` is 0..1 (mean tone dominance over its bits). */
  | { kind: 'byte'; value: number; atSample: number; confidence: number }
  /** A start bit was not followed by a stop bit: the byte is lost. */
  | { kind: 'framing-error'; atSample: number }
  /** The carrier stopped, or no byte followed the last one in time. */
  | { kind: 'end'; atSample: number; reason: 'carrier-lost' | 'gap' };

export type FskEventSink = (event: FskEvent) => void;

export interface FskDemodulatorOptions {
  standard: FskStandardName;
  sampleRate?: number;
  /** Weakest carrier accepted; senders are around -13.5 dBm0 and receivers must take -30. */
  minLevelDbm0?: number;
  /** Steady mark needed before the first byte. The shortest compliant mark is 30 bits. */
  minMarkBits?: number;
  /** Mark bits tolerated between bytes of one message (ETSI allows 10). */
  maxGapBits?: number;
}

const RING = 1024;
const MASK = RING - 1;
// Part of each bit left out of its integration window at both ends: keeps a bit edge that the
// start-edge estimate placed a sample off from smearing one bit's tone into the next.
const TRIM = 0.3;
const MARK_DOMINANCE = 0.4;
enum State {
  Hunt,
  Armed,
  Frame,
}

/**
 * Streaming non-coherent FSK receiver for 1200 baud caller ID.
 *
 * A one-bit sliding correlator against the mark and space tones gives a level-independent
 * decision value d = (mark - space) / (mark + space). A steady mark arms the receiver; the first
 * mark-to-space crossing after that is a start bit, whose edge is interpolated to a fraction of
 * a sample. Each of the ten bits is then decided by correlating exactly its own samples with
 * both tones (a matched filter per bit), so timing comes from the edge, not from the sliding
 * window. Frames are checked for a space start bit and a mark stop bit.
 */
export class FskDemodulator {
  readonly standard: FskStandardName;
  readonly #rate: number;
  readonly #bitLen: number;
  readonly #win: number;
  readonly #filter: DcHumFilter;
  readonly #minPower: number;
  readonly #minMarkSamples: number;
  readonly #maxGapSamples: number;
  readonly #tables: { mark: [Float64Array, Float64Array]; space: [Float64Array, Float64Array] };
  readonly #y = new Float64Array(RING);
  readonly #d = new Float64Array(RING);
  readonly #ok = new Uint8Array(RING);
  #scratch = new Float64Array(160);
  #n = 0;
  #state = State.Hunt;
  #markRun = 0;
  #invalidRun = 0;
  #wasMark = false;
  #prevD = 0;
  #frameStart = 0;
  #bytes = 0;
  #lastStop = 0;
  #minPeak: number;

  constructor(options: FskDemodulatorOptions) {
    const std = FSK_STANDARDS[options.standard];
    if (!std) throw new DspConfigError(`unknown FSK standard '${options.standard}'`);
    this.standard = options.standard;
    this.#rate = options.sampleRate ?? 8000;
    if (this.#rate < 2.5 * std.spaceHz)
      throw new DspConfigError(`FSK decoding needs at least ${2.5 * std.spaceHz} Hz sampling`);
    this.#bitLen = this.#rate / std.baud;
    this.#win = Math.round(this.#bitLen);
    // A 600 Hz high-pass takes hum, DC and ring-voltage thumps out while leaving both tones.
    this.#filter = new DcHumFilter(this.#rate, 600);
    this.#minPeak = dbm0ToPeak(options.minLevelDbm0 ?? -48);
    this.#minPower = ((this.#minPeak * this.#win) / 2) ** 2;
    this.#minMarkSamples = Math.round((options.minMarkBits ?? 20) * this.#bitLen);
    this.#maxGapSamples = Math.round((options.maxGapBits ?? 30) * this.#bitLen);
    this.#tables = {
      mark: phasorTable(std.markHz, this.#rate),
      space: phasorTable(std.spaceHz, this.#rate),
    };
  }

  /** Samples consumed so far (the stream clock that event positions refer to). */
  get position(): number {
    return this.#n;
  }

  process(samples: ArrayLike<number>, sink: FskEventSink): void {
    if (this.#scratch.length < samples.length) this.#scratch = new Float64Array(samples.length);
    const y = this.#scratch;
    this.#filter.process(samples, y, samples.length);
    for (let i = 0; i < samples.length; i++) {
      const k = this.#n++;
      this.#y[k & MASK] = y[i]!;
      this.#slide(k);
      this.#advance(k, sink);
    }
  }

  /** End of stream: a message still being received is reported as cut off. */
  flush(sink: FskEventSink): void {
    if (this.#state !== State.Hunt && this.#bytes > 0)
      sink({ kind: 'end', atSample: this.#n, reason: 'carrier-lost' });
    this.#toHunt();
  }

  #slide(k: number): void {
    const slot = k & MASK;
    if (k < this.#win) {
      this.#d[slot] = 0;
      this.#ok[slot] = 0;
      return;
    }
    const m = this.#power(this.#tables.mark, k - this.#win + 1, k + 1);
    const s = this.#power(this.#tables.space, k - this.#win + 1, k + 1);
    const total = m + s;
    this.#ok[slot] = total >= this.#minPower ? 1 : 0;
    this.#d[slot] = total > 0 ? (m - s) / total : 0;
  }

  /** |sum y[k] e^{-j w k}|^2 over samples [from, to). */
  #power(table: [Float64Array, Float64Array], from: number, to: number): number {
    const [cos, sin] = table;
    const period = cos.length;
    let re = 0;
    let im = 0;
    for (let k = from; k < to; k++) {
      const v = this.#y[k & MASK]!;
      const p = k % period;
      re += v * cos[p]!;
      im -= v * sin[p]!;
    }
    return re * re + im * im;
  }

  /**
   * Share of the last 16 ms that is exactly this standard's mark tone (about 1 when it is).
   * Over that span 1200 and 1300 Hz are well apart, which the one-bit correlators are not: it
   * is what tells a Bell 202 sender from a V.23 one.
   */
  #markFit(k: number): number {
    const span = Math.min(128, this.#minMarkSamples, k + 1);
    const from = k - span + 1;
    let energy = 0;
    for (let j = from; j <= k; j++) energy += this.#y[j & MASK]! ** 2;
    const power = this.#power(this.#tables.mark, from, k + 1);
    return energy > 0 ? Math.min(1, (2 * power) / (span * energy)) : 0;
  }

  #advance(k: number, sink: FskEventSink): void {
    if (this.#state === State.Hunt) {
      const slot = k & MASK;
      if (this.#ok[slot] && this.#d[slot]! > MARK_DOMINANCE) this.#markRun++;
      else this.#markRun = Math.max(0, this.#markRun - 4);
      if (this.#markRun >= this.#minMarkSamples) {
        this.#state = State.Armed;
        this.#bytes = 0;
        this.#invalidRun = 0;
        this.#wasMark = true;
        this.#prevD = this.#d[slot]!;
        sink({ kind: 'mark', atSample: k, toneFit: this.#markFit(k) });
      }
      return;
    }
    if (this.#state === State.Armed) {
      this.#scan(k, sink);
      return;
    }
    const b = this.#frameStart;
    const scanFrom = Math.ceil(b + 9.5 * this.#bitLen + (this.#win - 1) / 2);
    if (k < Math.max(scanFrom, Math.ceil(b + 10 * this.#bitLen))) return;
    const frame = this.#evaluateFrame(b);
    if (frame.kind === 'false-start') {
      this.#state = State.Armed;
      this.#wasMark = false;
      for (let j = Math.ceil(b + this.#bitLen); j <= k && this.#state === State.Armed; j++)
        this.#scan(j, sink);
      return;
    }
    if (frame.kind === 'lost') {
      sink({ kind: 'end', atSample: Math.round(b), reason: 'carrier-lost' });
      this.#toHunt();
      return;
    }
    if (frame.kind !== 'byte') {
      sink({ kind: 'framing-error', atSample: Math.round(b) });
      this.#toHunt();
      return;
    }
    sink({
      kind: 'byte',
      value: frame.value,
      atSample: Math.round(b),
      confidence: frame.confidence,
    });
    this.#bytes++;
    this.#lastStop = b + 10 * this.#bitLen;
    this.#state = State.Armed;
    this.#wasMark = false;
    this.#invalidRun = 0;
    for (let j = scanFrom; j <= k && this.#state === State.Armed; j++) this.#scan(j, sink);
  }

  /** Armed: looks for the mark-to-space crossing that starts the next character. */
  #scan(k: number, sink: FskEventSink): void {
    const slot = k & MASK;
    const d = this.#d[slot]!;
    if (!this.#ok[slot]) {
      if (++this.#invalidRun >= 2 * this.#bitLen) {
        sink({ kind: 'end', atSample: k, reason: 'carrier-lost' });
        this.#toHunt();
      }
      this.#wasMark = false;
      return;
    }
    this.#invalidRun = 0;
    if (this.#bytes > 0 && k - this.#lastStop > this.#maxGapSamples) {
      sink({ kind: 'end', atSample: k, reason: 'gap' });
      this.#toHunt();
      return;
    }
    if (d >= 0) {
      this.#wasMark = true;
      this.#prevD = d;
      return;
    }
    if (!this.#wasMark) return;
    const crossing = k - 1 + this.#prevD / (this.#prevD - d);
    this.#frameStart = crossing - (this.#win - 1) / 2;
    this.#state = State.Frame;
    this.#wasMark = false;
  }

  #evaluateFrame(
    b: number,
  ):
    | { kind: 'byte'; value: number; confidence: number }
    | { kind: 'false-start' | 'framing' | 'lost' } {
    let value = 0;
    let confidence = 0;
    for (let bit = 0; bit < 10; bit++) {
      const from = Math.ceil(b + bit * this.#bitLen + TRIM);
      const to = Math.ceil(b + (bit + 1) * this.#bitLen - TRIM);
      const m = this.#power(this.#tables.mark, from, to);
      const s = this.#power(this.#tables.space, from, to);
      const floor = ((this.#minPeak * (to - from)) / 2) ** 2;
      if (m + s < floor / 2) return { kind: bit === 0 ? 'false-start' : 'lost' };
      const one = m > s;
      confidence += Math.abs(m - s) / (m + s);
      if (bit === 0 && one) return { kind: 'false-start' };
      if (bit === 9 && !one) return { kind: 'framing' };
      if (bit >= 1 && bit <= 8 && one) value |= 1 << (bit - 1);
    }
    return { kind: 'byte', value, confidence: confidence / 10 };
  }

  #toHunt(): void {
    this.#state = State.Hunt;
    this.#markRun = 0;
    this.#bytes = 0;
    this.#wasMark = false;
  }
}

/** cos and sin of 2 pi f k / rate over one exact period of k (f and rate whole numbers). */
function phasorTable(hz: number, rate: number): [Float64Array, Float64Array] {
  const period = rate / gcd(Math.round(hz), rate);
  const cos = new Float64Array(period);
  const sin = new Float64Array(period);
  for (let k = 0; k < period; k++) {
    cos[k] = Math.cos((2 * Math.PI * hz * k) / rate);
    sin[k] = Math.sin((2 * Math.PI * hz * k) / rate);
  }
  return [cos, sin];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
