import { DspConfigError } from './audio-errors.js';

/** Settings of the voice-activity / end-of-utterance detector; times in ms. */
export interface VoiceActivityOptions {
  /** No speech within this long after listening starts: a 'no-speech' event (caller silent). */
  startTimeoutMs: number;
  /**
   * Silence after speech that ends the utterance. Also the hang-over: pauses between words
   * shorter than this keep the utterance open.
   */
  endSilenceMs: number;
  /** An utterance still going after this long is cut ('end-of-utterance', reason max-length). */
  maxUtteranceMs: number;
  /**
   * Speech needed within the onset window before 'speech-start'. Short enough for barge-in
   * (the prompt stops while the caller is still on the first syllable), long enough that a
   * click or the edge of a tone burst does not count.
   */
  minSpeechMs: number;
  /** A frame is speech when at least this many dB above the tracked noise floor. */
  thresholdDb: number;
  /** ... and above this absolute level (G.711 idle noise and crosstalk stay below it). */
  minLevelDbm0: number;
  /** Span of the noise-floor minimum statistics: must exceed the longest run of speech. */
  noiseWindowMs: number;
  /**
   * Frames whose in-band power is at least this share in two narrow spectral peaks are tones
   * (DTMF, dial, busy, ringback, fax), never speech.
   */
  maxTonality: number;
}

export const DEFAULT_VOICE_ACTIVITY_OPTIONS: Readonly<VoiceActivityOptions> = {
  startTimeoutMs: 5000,
  endSilenceMs: 800,
  maxUtteranceMs: 15000,
  minSpeechMs: 50,
  thresholdDb: 9,
  minLevelDbm0: -50,
  noiseWindowMs: 2000,
  maxTonality: 0.95,
};

export function resolveVoiceActivityOptions(
  partial: Partial<VoiceActivityOptions> = {},
): VoiceActivityOptions {
  const o = { ...DEFAULT_VOICE_ACTIVITY_OPTIONS, ...partial };
  const bad = (what: string) => {
    throw new DspConfigError(`voice activity option ${what}`);
  };
  if (!(o.startTimeoutMs >= 100 && o.startTimeoutMs <= 120_000))
    bad(`startTimeoutMs ${o.startTimeoutMs} must be 100..120000 ms`);
  if (!(o.endSilenceMs >= 100 && o.endSilenceMs <= 10_000))
    bad(`endSilenceMs ${o.endSilenceMs} must be 100..10000 ms`);
  if (!(o.maxUtteranceMs >= 500 && o.maxUtteranceMs <= 600_000))
    bad(`maxUtteranceMs ${o.maxUtteranceMs} must be 500..600000 ms`);
  if (!(o.minSpeechMs >= 20 && o.minSpeechMs <= 80))
    bad(`minSpeechMs ${o.minSpeechMs} must be 20..80 ms (the onset window is 80 ms)`);
  if (!(o.thresholdDb >= 3 && o.thresholdDb <= 30))
    bad(`thresholdDb ${o.thresholdDb} must be 3..30 dB`);
  if (!(o.minLevelDbm0 >= -80 && o.minLevelDbm0 <= -20))
    bad(`minLevelDbm0 ${o.minLevelDbm0} must be -80..-20 dBm0`);
  if (!(o.noiseWindowMs >= 500 && o.noiseWindowMs <= 20_000))
    bad(`noiseWindowMs ${o.noiseWindowMs} must be 500..20000 ms`);
  if (!(o.maxTonality > 0.5 && o.maxTonality <= 1))
    bad(`maxTonality ${o.maxTonality} must be above 0.5 and at most 1`);
  return o;
}
