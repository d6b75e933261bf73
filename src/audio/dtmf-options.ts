import { DspConfigError } from './audio-errors.js';

/**
 * Acceptance limits of the DTMF receiver. Defaults sit between the ITU-T Q.24 / Bellcore
 * "must accept" and "must reject" figures with margin on both sides, so the same receiver passes
 * both halves of each specification row.
 */
export interface DtmfReceiverOptions {
  /** Weakest tone accepted, per tone. Spec: must work at -29 dBm0. */
  minLevelDbm0: number;
  /** How much weaker the high tone may be than the low one (normal twist). Spec: 8 dB. */
  maxNormalTwistDb: number;
  /** How much stronger the high tone may be than the low one (reverse twist). Spec: 4 dB. */
  maxReverseTwistDb: number;
  /** Largest relative frequency error accepted. Spec: accept 1.5 %, reject 3.5 %. */
  maxDeviation: number;
  /** Shortest tone reported. Spec: accept 40 ms, reject 20 ms. */
  minDurationMs: number;
  /** A gap shorter than this inside a tone is bridged (line dropouts). Must stay < 40 ms pauses. */
  maxDropoutMs: number;
  /** The chosen tone must beat every other tone of its group by this much. */
  relativePeakDb: number;
  /** Share of the window's power that must be in the two tones (speech spreads its power). */
  minPurity: number;
  /** Largest change of either tone's relative frequency while held (speech pitch glides). */
  maxFrequencyWander: number;
  /** Largest change of either tone's level while held, in dB (speech formants swell and fade). */
  maxLevelWanderDb: number;
  /** Second harmonic of either tone must be at least this far below it (speech has them). */
  secondHarmonicDb: number;
}

export const DEFAULT_DTMF_OPTIONS: Readonly<DtmfReceiverOptions> = {
  minLevelDbm0: -34,
  maxNormalTwistDb: 9,
  maxReverseTwistDb: 5,
  maxDeviation: 0.025,
  minDurationMs: 28,
  maxDropoutMs: 15,
  relativePeakDb: 10,
  minPurity: 0.8,
  secondHarmonicDb: 10,
  maxFrequencyWander: 0.01,
  maxLevelWanderDb: 3,
};

export function resolveDtmfOptions(
  partial: Partial<DtmfReceiverOptions> = {},
): DtmfReceiverOptions {
  const o = { ...DEFAULT_DTMF_OPTIONS, ...partial };
  const bad = (what: string) => {
    throw new DspConfigError(`DTMF receiver option ${what}`);
  };
  if (!(o.minLevelDbm0 < 0)) bad(`minLevelDbm0 ${o.minLevelDbm0} must be below 0 dBm0`);
  if (!(o.maxDeviation > 0 && o.maxDeviation < 0.05))
    bad(`maxDeviation ${o.maxDeviation} must be 0..0.05`);
  if (!(o.minDurationMs >= 10 && o.minDurationMs <= 200))
    bad(`minDurationMs ${o.minDurationMs} must be 10..200`);
  if (!(o.maxDropoutMs >= 5 && o.maxDropoutMs < 40))
    bad(`maxDropoutMs ${o.maxDropoutMs} must be 5..39`);
  if (!(o.minPurity > 0 && o.minPurity < 1))
    bad(`minPurity ${o.minPurity} must be between 0 and 1`);
  if (!(o.maxNormalTwistDb >= 0 && o.maxReverseTwistDb >= 0)) bad('twist limits must be >= 0 dB');
  return o;
}
