import { AudioFormatError } from './audio-errors.js';
import {
  CALL_PROGRESS_PRESETS,
  type CallProgressTone,
  type Country,
  type ToneDefinition,
} from './call-progress-presets.js';
import { DcHumFilter } from './dc-hum-filter.js';
import { GoertzelBank } from './goertzel-bank.js';
import { dbm0ToPeak } from './levels.js';

export interface CallProgressEvent {
  tone: CallProgressTone;
  country: Country;
  /** Start of the first on-segment that matched. */
  startMs: number;
  /** When the match was made (detection latency = atMs - startMs). */
  atMs: number;
}

const RATE = 8000;
// 20 ms blocks: 50 Hz bins separate 400/425/450 Hz well enough and cadences are >= 200 ms.
const BLOCK = 160;
const MIN_LEVEL = dbm0ToPeak(-40);
// Share of the block's power the tone's frequencies must hold to count as "on".
const MIN_PURITY = 0.6;
// A dial tone is declared after a second of steady tone.
const DIAL_MS = 1000;
const SEGMENTS = 8;
// Silence that ends an episode: longer than the longest off-time of any preset (ringback 4 s).
const EPISODE_GAP_MS = 5000;

interface ToneGroup {
  bins: number[];
  defs: ToneDefinition[];
  on: boolean;
  runBlocks: number;
  /** Recent completed segments in ms, oldest first, alternating; `lastOn` says what the newest was. */
  segments: number[];
  segmentStarts: number[];
  lastOn: boolean;
  reported: CallProgressTone | undefined;
}

/**
 * Recognises dial, busy, reorder/congestion and ringback tones by frequency and cadence for one
 * country's tone plan. Used to notice that the far end has hung up (busy/reorder) on lines that
 * give no other sign. Each tone is reported once per episode; an episode ends after 5 s
 * without it.
 */
export class CallProgressDetector {
  readonly country: Country;
  readonly #filter = new DcHumFilter(RATE);
  readonly #bank: GoertzelBank;
  readonly #groups: ToneGroup[];
  readonly #block = new Float64Array(BLOCK);
  #fill = 0;
  #blocks = 0;

  constructor(country: Country) {
    const defs = CALL_PROGRESS_PRESETS[country];
    if (!defs) throw new AudioFormatError(`no call-progress tones known for country '${country}'`);
    this.country = country;
    const freqs = [...new Set(defs.flatMap((d) => d.frequencies))];
    this.#bank = new GoertzelBank(freqs, BLOCK, RATE);
    const byKey = new Map<string, ToneGroup>();
    for (const def of defs) {
      const key = def.frequencies.join('+');
      const group = byKey.get(key) ?? {
        bins: def.frequencies.map((f) => freqs.indexOf(f)),
        defs: [],
        on: false,
        runBlocks: 0,
        segments: [],
        segmentStarts: [],
        lastOn: false,
        reported: undefined,
      };
      group.defs.push(def);
      byKey.set(key, group);
    }
    this.#groups = [...byKey.values()];
  }

  /** Feeds 8 kHz samples of any frame size; recognised tones go to `sink`. */
  process(samples: ArrayLike<number>, sink: (event: CallProgressEvent) => void): void {
    let at = 0;
    while (at < samples.length) {
      const take = Math.min(BLOCK - this.#fill, samples.length - at);
      this.#filter.process(samples, this.#block, take, at, this.#fill);
      this.#fill += take;
      at += take;
      if (this.#fill === BLOCK) {
        this.#fill = 0;
        this.#analyse(sink);
      }
    }
  }

  #analyse(sink: (event: CallProgressEvent) => void): void {
    const bank = this.#bank;
    bank.analyse(this.#block);
    let total = 0;
    for (let i = 0; i < BLOCK; i++) total += this.#block[i]! * this.#block[i]!;
    const meanSquare = total / BLOCK;
    const now = this.#blocks++;
    for (const g of this.#groups) {
      let power = 0;
      let present = true;
      for (const b of g.bins) {
        const amp = (2 * Math.hypot(bank.re[b]!, bank.im[b]!)) / BLOCK;
        if (amp < MIN_LEVEL) present = false;
        power += (amp * amp) / 2;
      }
      const on = present && power >= MIN_PURITY * meanSquare;
      this.#step(g, on, now, sink);
    }
  }

  #step(g: ToneGroup, on: boolean, now: number, sink: (event: CallProgressEvent) => void): void {
    if (on === g.on) {
      g.runBlocks++;
    } else {
      if (g.runBlocks > 0) this.#closeSegment(g, now, sink);
      g.on = on;
      g.runBlocks = 1;
    }
    const runMs = g.runBlocks * (BLOCK / 8);
    if (g.on && runMs >= DIAL_MS && g.reported !== 'dial') {
      const dial = g.defs.find((d) => d.cadenceMs.length === 0);
      if (dial) this.#report(g, 'dial', now - g.runBlocks + 1, now, sink);
    }
    if (!g.on && runMs >= EPISODE_GAP_MS) {
      g.reported = undefined;
      g.segments.length = 0;
      g.segmentStarts.length = 0;
    }
  }

  #closeSegment(g: ToneGroup, now: number, sink: (event: CallProgressEvent) => void): void {
    g.segments.push(g.runBlocks * (BLOCK / 8));
    g.segmentStarts.push(now - g.runBlocks);
    g.lastOn = g.on;
    if (g.segments.length > SEGMENTS) {
      g.segments.shift();
      g.segmentStarts.shift();
    }
    for (const def of g.defs) {
      if (def.cadenceMs.length === 0) continue;
      const needed =
        def.cadenceMs.reduce((a, b) => a + b, 0) <= 2000 ? Math.max(6, def.cadenceMs.length) : 4;
      if (g.segments.length < needed || g.lastOn) continue; // judge at the end of an off segment
      const recent = g.segments.slice(-needed);
      if (matchesCadence(recent, def.cadenceMs) && g.reported !== def.tone) {
        this.#report(g, def.tone, g.segmentStarts[g.segmentStarts.length - needed]!, now, sink);
      }
    }
  }

  #report(
    g: ToneGroup,
    tone: CallProgressTone,
    startBlock: number,
    now: number,
    sink: (e: CallProgressEvent) => void,
  ): void {
    g.reported = tone;
    sink({
      tone,
      country: this.country,
      startMs: startBlock * (BLOCK / 8),
      atMs: (now + 1) * (BLOCK / 8),
    });
  }
}

/**
 * Whether observed on/off durations (starting with an on-segment, ending with an off-segment)
 * follow the pattern from some on-position. Tolerance: 20 % or 60 ms, whichever is larger,
 * which covers exchange tolerances and our 20 ms block quantisation.
 */
export function matchesCadence(observed: number[], pattern: number[]): boolean {
  for (let rot = 0; rot < pattern.length; rot += 2) {
    let ok = true;
    for (let i = 0; i < observed.length && ok; i++) {
      const want = pattern[(rot + i) % pattern.length]!;
      ok = Math.abs(observed[i]! - want) <= Math.max(60, 0.2 * want);
    }
    if (ok) return true;
  }
  return false;
}
