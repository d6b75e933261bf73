import { AudioFormatError } from './audio-errors.js';
import { DcHumFilter } from './dc-hum-filter.js';
import { dbm0ToPeak, powerToDbm0 } from './levels.js';
import { NoiseFloorTracker } from './noise-floor-tracker.js';
import { SpectralTonality, TONALITY_BLOCK } from './spectral-tonality.js';
import {
  resolveVoiceActivityOptions,
  type VoiceActivityOptions,
} from './voice-activity-options.js';

export type VoiceActivityEvent =
  /** Speech began at `startMs` (stream time); decided at `atMs`. For barge-in. */
  | { kind: 'speech-start'; startMs: number; atMs: number }
  /**
   * The utterance from `startMs` to `endMs` is over: followed by endSilenceMs of silence
   * (`reason: 'silence'`, atMs = endMs + endSilenceMs) or cut at maxUtteranceMs.
   */
  | {
      kind: 'end-of-utterance';
      startMs: number;
      endMs: number;
      atMs: number;
      reason: 'silence' | 'max-length';
    }
  /** Nothing was said within startTimeoutMs of listening starting. */
  | { kind: 'no-speech'; atMs: number };

export type VoiceActivitySink = (event: VoiceActivityEvent) => void;

export const VAD_SAMPLE_RATE = 8000;
// 10 ms frames: the resolution of every reported time.
const HOP = 80;
const FRAME_MS = 10;
// Onset window: speech-start needs minSpeechMs of frames above the floor among the last 80 ms,
// at least NON_TONAL_FRAMES of them not tonal.
const ONSET_FRAMES = 8;
const NON_TONAL_FRAMES = 3;
// A gap of this many quiet frames separates two bursts of sound (for the onset time).
const RUN_GAP_FRAMES = 3;
// Tonal frames keep an utterance going only this close to an untonal one: a vowel can look
// like a tone for ~100 ms, a dial tone after the caller's last word goes on and on.
const TONAL_BRIDGE_FRAMES = 30;
// Short-term level for the noise floor: mean power of the last 3 frames (30 ms) rather than
// single frames, whose spread on noise would bias the minimum far below the noise's mean.
const SMOOTH_FRAMES = 3;
const NOISE_SUB_WINDOWS = 10;
const LOWEST_FLOOR_DBM0 = -90;

type State = 'waiting' | 'speech' | 'overlong';

/**
 * Voice-activity and end-of-utterance detector for 8 kHz telephone audio, streaming and
 * allocation-free per sample (events are the only objects it creates).
 *
 * Each 10 ms frame, after DC and hum removal, is speech when its level is `thresholdDb` above
 * an adaptive noise floor (minimum statistics over `noiseWindowMs`, which absorbs steady line
 * noise, hum and G.711 idle noise) and above `minLevelDbm0`, and it is not a tone: its
 * power is not concentrated in two narrow spectral peaks (DTMF and call-progress tones are,
 * after G.711 and in line noise too). Some voiced speech frames look tonal as well, which is
 * why speech is declared from a share of an 80 ms window rather than from single frames: a
 * tone's edges give at most a frame or two that are neither silent nor tonal.
 *
 * Listening starts at construction (or `listen()`): 'no-speech' if nothing is said within
 * startTimeoutMs; 'speech-start' as soon as speech is recognised; 'end-of-utterance' after
 * endSilenceMs without speech frames (shorter pauses are bridged) or at maxUtteranceMs.
 * After an utterance the detector waits for the next one; the noise floor is kept throughout.
 */
export class VoiceActivityDetector {
  readonly #opts: VoiceActivityOptions;
  readonly #hum = new DcHumFilter(VAD_SAMPLE_RATE);
  readonly #history = new Float64Array(TONALITY_BLOCK);
  readonly #tonality = new SpectralTonality(VAD_SAMPLE_RATE);
  readonly #noise: NoiseFloorTracker;
  readonly #recent = new Float64Array(SMOOTH_FRAMES);
  /** Per frame of the onset window: 0 quiet, 1 tonal sound, 2 speech-like sound. */
  readonly #onset = new Uint8Array(ONSET_FRAMES);
  readonly #minSpeechFrames: number;
  #pos = 0;
  #fill = 0;
  #energy = 0;
  /** Frames completed: the stream clock in 10 ms units. */
  #frame = 0;
  #state: State = 'waiting';
  #listenFrame = 0;
  #noSpeechSent = false;
  #startFrame = 0;
  #lastSpeechFrame = 0;
  #lastUntonalFrame = Number.NEGATIVE_INFINITY;
  #lastLoudFrame = Number.NEGATIVE_INFINITY;
  #runStart = 0;
  #prevSpeech = false;
  /** Last frame's figures, for diagnostics and tests. */
  levelDbm0 = Number.NEGATIVE_INFINITY;
  floorDbm0 = LOWEST_FLOOR_DBM0;
  tonality = 0;

  constructor(options: Partial<VoiceActivityOptions> = {}) {
    this.#opts = resolveVoiceActivityOptions(options);
    const frames = Math.round(this.#opts.noiseWindowMs / FRAME_MS);
    this.#noise = new NoiseFloorTracker(frames, NOISE_SUB_WINDOWS, LOWEST_FLOOR_DBM0);
    this.#minSpeechFrames = Math.ceil(this.#opts.minSpeechMs / FRAME_MS);
  }

  /** Whether an utterance is in progress (between 'speech-start' and its end). */
  get speaking(): boolean {
    return this.#state === 'speech';
  }

  /** Feeds 8 kHz samples (any count); events go to `sink`. */
  process(samples: ArrayLike<number>, sink: VoiceActivitySink): void {
    const ring = this.#history;
    let at = 0;
    while (at < samples.length) {
      const take = Math.min(HOP - this.#fill, samples.length - at, TONALITY_BLOCK - this.#pos);
      this.#hum.process(samples, ring, take, at, this.#pos);
      let e = this.#energy;
      for (let i = this.#pos, end = this.#pos + take; i < end; i++) e += ring[i]! * ring[i]!;
      this.#energy = e;
      at += take;
      this.#fill += take;
      this.#pos += take;
      if (this.#pos === TONALITY_BLOCK) this.#pos = 0;
      if (this.#fill === HOP) {
        this.#fill = 0;
        this.#frameDone(sink);
      }
    }
  }

  /**
   * Starts a new listening period now (after a prompt, say): the start-of-speech timeout runs
   * again and an utterance in progress is dropped without an event. The noise floor is kept.
   */
  listen(): void {
    this.#state = 'waiting';
    this.#listenFrame = this.#frame;
    this.#noSpeechSent = false;
    this.#onset.fill(0);
  }

  /** Forgets everything, including the noise floor and the stream clock. */
  reset(): void {
    this.#hum.reset();
    this.#history.fill(0);
    this.#noise.reset();
    this.#recent.fill(0);
    this.#pos = 0;
    this.#fill = 0;
    this.#energy = 0;
    this.#frame = 0;
    this.#prevSpeech = false;
    this.#lastUntonalFrame = Number.NEGATIVE_INFINITY;
    this.#lastLoudFrame = Number.NEGATIVE_INFINITY;
    this.#runStart = 0;
    this.levelDbm0 = Number.NEGATIVE_INFINITY;
    this.floorDbm0 = LOWEST_FLOOR_DBM0;
    this.tonality = 0;
    this.listen();
  }

  #frameDone(sink: VoiceActivitySink): void {
    const f = this.#frame++;
    const power = this.#energy / HOP;
    this.#energy = 0;
    const recent = this.#recent;
    recent[f % SMOOTH_FRAMES] = power;
    let smooth = 0;
    for (let i = 0; i < SMOOTH_FRAMES; i++) smooth += recent[i]!;
    // Judge against the floor as it was before this frame, so a loud onset cannot raise it.
    const floor = this.#noise.floorDb;
    this.#noise.push(powerToDbm0(smooth / Math.min(SMOOTH_FRAMES, f + 1)));
    const level = powerToDbm0(power);
    const o = this.#opts;
    let kind = 0;
    this.tonality = 0;
    if (level >= floor + o.thresholdDb && level >= o.minLevelDbm0) {
      const noise = dbm0ToPeak(floor) ** 2 / 2;
      this.tonality = this.#tonality.measure(this.#history, this.#pos, noise);
      kind = this.tonality < o.maxTonality ? 2 : 1;
      if (f - this.#lastLoudFrame > RUN_GAP_FRAMES) this.#runStart = f;
      this.#lastLoudFrame = f;
      if (kind === 2) this.#lastUntonalFrame = f;
    }
    this.levelDbm0 = level;
    this.floorDbm0 = floor;
    this.#onset[f % ONSET_FRAMES] = kind;
    // Sound counts as speech while untonal sound is near: tones alone never do.
    const speech = kind === 2 || (kind === 1 && f - this.#lastUntonalFrame <= TONAL_BRIDGE_FRAMES);
    this.#step(f, kind, speech, sink);
    this.#prevSpeech = speech;
  }

  #step(f: number, kind: number, speech: boolean, sink: VoiceActivitySink): void {
    const o = this.#opts;
    const atMs = (f + 1) * FRAME_MS;
    if (this.#state === 'waiting') {
      let loud = 0;
      let untonal = 0;
      for (let i = 0; i < ONSET_FRAMES; i++) {
        const k = this.#onset[i]!;
        if (k > 0) loud++;
        if (k === 2) untonal++;
      }
      if (kind > 0 && loud >= this.#minSpeechFrames && untonal >= NON_TONAL_FRAMES) {
        // Onset: where this burst of sound began (and not before listening began).
        const first = Math.max(this.#runStart, this.#listenFrame);
        this.#state = 'speech';
        this.#startFrame = first;
        this.#lastSpeechFrame = f;
        sink({ kind: 'speech-start', startMs: first * FRAME_MS, atMs });
        return;
      }
      if (!this.#noSpeechSent && atMs - this.#listenFrame * FRAME_MS >= o.startTimeoutMs) {
        this.#noSpeechSent = true;
        sink({ kind: 'no-speech', atMs });
      }
      return;
    }
    if (this.#state === 'speech') {
      // Two speech frames in a row keep the utterance going: one alone may be a click.
      if (speech && this.#prevSpeech) this.#lastSpeechFrame = f;
      const startMs = this.#startFrame * FRAME_MS;
      if ((f - this.#lastSpeechFrame) * FRAME_MS >= o.endSilenceMs) {
        this.#endUtterance('waiting');
        sink({
          kind: 'end-of-utterance',
          startMs,
          endMs: (this.#lastSpeechFrame + 1) * FRAME_MS,
          atMs,
          reason: 'silence',
        });
      } else if (atMs - startMs >= o.maxUtteranceMs) {
        this.#endUtterance('overlong');
        sink({ kind: 'end-of-utterance', startMs, endMs: atMs, atMs, reason: 'max-length' });
      }
      return;
    }
    // Overlong: whatever is still going on is not a new utterance until it has paused.
    if (speech) this.#lastSpeechFrame = f;
    else if ((f - this.#lastSpeechFrame) * FRAME_MS >= o.endSilenceMs)
      this.#endUtterance('waiting');
  }

  #endUtterance(next: State): void {
    this.#state = next;
    this.#onset.fill(0);
    this.#noSpeechSent = true; // the caller has spoken in this listening period
  }

  static assertRate(sampleRate: number): void {
    if (sampleRate !== VAD_SAMPLE_RATE) {
      throw new AudioFormatError(
        `voice activity detector runs at 8000 Hz, got ${sampleRate} Hz: resample first`,
      );
    }
  }
}
