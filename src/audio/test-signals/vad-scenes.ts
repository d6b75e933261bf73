/**
 * Generated scenes for the voice-activity detector: real utterances placed at known times in
 * silence or line noise (white noise band-limited to 300-3400 Hz, optional mains hum) at a chosen
 * speech level and SNR, then through G.711, with the true speech boundaries. Shared by the
 * tests and the benchmark; not used on the live call path.
 */
import { dbm0ToPeak, powerToDbm0 } from '../levels.js';
import { activeSpeechPower } from './dtmf-spec-cases.js';
import { g711RoundTrip, mix, telephoneBand, whiteNoise } from './signals.js';

export interface SceneOptions {
  /** Active speech level of every utterance, dBm0. */
  speechDbm0: number;
  /** Line noise this many dB below the active speech level; undefined: digital silence. */
  snrDb?: number;
  /** Mains hum (50 Hz and odd harmonics to 250 Hz) at this level, dBm0. */
  humDbm0?: number;
  law?: 'ulaw' | 'alaw';
  leadMs?: number;
  trailMs?: number;
  /** Pause between the words of one utterance (they should stay one utterance). */
  gapMs?: number;
  seed?: number;
}

export interface Scene {
  audio: Int16Array;
  /** Where the speech really is, from the clean signal (10 ms resolution). */
  startMs: number;
  endMs: number;
}

/** First and last 10 ms frame of `x` within 30 dB of its loudest frame, in ms. */
export function speechBounds(x: ArrayLike<number>): { startMs: number; endMs: number } {
  const levels: number[] = [];
  for (let i = 0; i + 80 <= x.length; i += 80) {
    let s = 0;
    for (let j = 0; j < 80; j++) s += x[i + j]! ** 2;
    levels.push(10 * Math.log10(s / 80 + 1e-9));
  }
  const peak = Math.max(...levels);
  const first = levels.findIndex((v) => v > peak - 30);
  let last = levels.length - 1;
  while (last > first && levels[last]! <= peak - 30) last--;
  return { startMs: first * 10, endMs: (last + 1) * 10 };
}

/** Words (8 kHz recordings) said as one utterance into a line, with the truth. */
export function buildScene(words: Int16Array[], opts: SceneOptions): Scene {
  const lead = (opts.leadMs ?? 1000) * 8;
  const trail = (opts.trailMs ?? 1500) * 8;
  const gap = (opts.gapMs ?? 250) * 8;
  const banded = words.map((w) => telephoneBand(w));
  const length = lead + banded.reduce((n, w) => n + w.length, 0) + gap * (words.length - 1) + trail;
  const speech = new Float64Array(length);
  let at = lead;
  for (const w of banded) {
    speech.set(w, at);
    at += w.length + gap;
  }
  // Level set on the words alone, so every scene's speech has the same active level.
  const gain = dbm0ToPeak(opts.speechDbm0) / dbm0ToPeak(powerToDbm0(activeSpeechPower(speech)));
  for (let i = 0; i < length; i++) speech[i]! *= gain;
  const bounds = speechBounds(speech);
  const parts: ArrayLike<number>[] = [speech];
  if (opts.snrDb !== undefined) {
    const speechPower = dbm0ToPeak(opts.speechDbm0) ** 2 / 2;
    const noise = telephoneBand(whiteNoise(length, 1, opts.seed ?? 3));
    const rms = Math.sqrt(speechPower / 10 ** (opts.snrDb / 10) / meanSquare(noise));
    for (let i = 0; i < length; i++) noise[i]! *= rms;
    parts.push(noise);
  }
  if (opts.humDbm0 !== undefined) parts.push(hum(length, opts.humDbm0));
  return { audio: g711RoundTrip(mix(...parts), opts.law ?? 'ulaw'), ...bounds };
}

/** 50 Hz mains hum with its 3rd and 5th harmonics, as a badly grounded line interface adds. */
export function hum(length: number, dbm0: number): Float64Array {
  const a = dbm0ToPeak(dbm0);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const t = (2 * Math.PI * 50 * i) / 8000;
    out[i] = a * (Math.sin(t) + 0.3 * Math.sin(3 * t + 0.4) + 0.15 * Math.sin(5 * t + 1.1));
  }
  return out;
}

function meanSquare(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s / x.length;
}
