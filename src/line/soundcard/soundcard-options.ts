import { COUNTRIES, type Country } from '../../audio/call-progress-presets.js';
import { type FskStandardName, isFskStandardName } from '../../callerid/fsk-standards.js';
import { SoundcardConfigError } from './soundcard-errors.js';

export interface RingCadenceOptions {
  /** A level change must hold this long to count (contact bounce, spikes). */
  debounceMs: number;
  /** Ring-detector pulses closer than this belong to one burst (covers 16 Hz ringing). */
  pulseGapMs: number;
  /** Activity shorter than this is not a ring (line reversal, hook-switch transients). */
  minBurstMs: number;
  /** Bursts closer than this are one ring (UK and distinctive double rings). */
  mergeGapMs: number;
  /** No ring for this long: the caller gave up or someone answered elsewhere. */
  ringGapMs: number;
}

/** Settings of the sound-card Line adapter (config `line.soundcard` plus `line.country`). */
export interface SoundcardOptions {
  /** Answer on this ring; 0 leaves answering to the CallDesk. */
  answerOnRing: number;
  /** Tone plan for busy/reorder/dial detection. */
  country: Country;
  /** Caller-ID physical layer; `auto` listens for both. */
  fskStandard: FskStandardName | 'auto';
  ring: RingCadenceOptions;
  /** Audio frame size the line works in. */
  frameMs: number;
  /** How far ahead of real time playback is written; what a barge-in still lets through. */
  playLeadMs: number;
  /** On-hook time of a hook flash: about 100 ms (EU/UK timed break), 500-600 ms (US). */
  hookFlashMs: number;
  /** Wait after the flash for the exchange's or PBX's dial tone before dialling. */
  flashSettleMs: number;
  dtmfToneMs: number;
  dtmfPauseMs: number;
  /** Level of the dialled DTMF tones (low group; the high group is sent 2 dB hotter). */
  dtmfLevelDbm0: number;
  /** After dialling, how long a busy or reorder tone from the extension is waited for. */
  transferBusyWindowMs: number;
  /** Received audio below this level counts as silence. */
  silenceDbm0: number;
  /** This much unbroken silence means the far end has gone; 0 disables. */
  silenceHangupMs: number;
  /** Caller ID decoded before the first ring (UK, some EU) is kept this long for it. */
  callerIdHoldMs: number;
  /** Capture restart backoff after the sound card failed. */
  restartInitialMs: number;
  restartMaxMs: number;
}

export const DEFAULT_RING_OPTIONS: RingCadenceOptions = {
  debounceMs: 4,
  pulseGapMs: 120,
  minBurstMs: 150,
  mergeGapMs: 600,
  ringGapMs: 8000,
};

export const DEFAULT_SOUNDCARD_OPTIONS: SoundcardOptions = {
  answerOnRing: 0,
  country: 'us',
  fskStandard: 'auto',
  ring: DEFAULT_RING_OPTIONS,
  frameMs: 20,
  playLeadMs: 80,
  hookFlashMs: 500,
  flashSettleMs: 800,
  dtmfToneMs: 100,
  dtmfPauseMs: 100,
  dtmfLevelDbm0: -8,
  transferBusyWindowMs: 4000,
  silenceDbm0: -55,
  silenceHangupMs: 60000,
  callerIdHoldMs: 10000,
  restartInitialMs: 1000,
  restartMaxMs: 30000,
};

type Input = Partial<Omit<SoundcardOptions, 'ring'>> & { ring?: Partial<RingCadenceOptions> };

/** Defaults filled in and every value checked, so a typo fails at start-up, not mid-call. */
export function resolveSoundcardOptions(input: Input = {}): SoundcardOptions {
  const o: SoundcardOptions = {
    ...DEFAULT_SOUNDCARD_OPTIONS,
    ...input,
    ring: { ...DEFAULT_RING_OPTIONS, ...input.ring },
  };
  if (input.hookFlashMs === undefined && o.country !== 'us') o.hookFlashMs = 100;
  if (!COUNTRIES.includes(o.country))
    throw new SoundcardConfigError(
      'country',
      `'${o.country}' is not one of ${COUNTRIES.join(', ')}`,
    );
  if (o.fskStandard !== 'auto' && !isFskStandardName(o.fskStandard))
    throw new SoundcardConfigError('fskStandard', `'${o.fskStandard}' is not bell202, v23 or auto`);
  const range = (key: string, value: number, min: number, max: number) => {
    if (!(Number.isFinite(value) && value >= min && value <= max))
      throw new SoundcardConfigError(key, `${value} must be between ${min} and ${max}`);
  };
  range('answerOnRing', o.answerOnRing, 0, 20);
  if (!Number.isInteger(o.answerOnRing))
    throw new SoundcardConfigError('answerOnRing', 'must be a whole number');
  range('frameMs', o.frameMs, 5, 100);
  range('playLeadMs', o.playLeadMs, o.frameMs, 1000);
  range('hookFlashMs', o.hookFlashMs, 50, 1500);
  range('flashSettleMs', o.flashSettleMs, 0, 5000);
  range('dtmfToneMs', o.dtmfToneMs, 50, 500);
  range('dtmfPauseMs', o.dtmfPauseMs, 50, 500);
  range('dtmfLevelDbm0', o.dtmfLevelDbm0, -30, -3);
  range('transferBusyWindowMs', o.transferBusyWindowMs, 1000, 60000);
  range('silenceDbm0', o.silenceDbm0, -80, -20);
  range('silenceHangupMs', o.silenceHangupMs, 0, 3600000);
  range('callerIdHoldMs', o.callerIdHoldMs, 0, 60000);
  range('ring.debounceMs', o.ring.debounceMs, 0, 50);
  range('ring.pulseGapMs', o.ring.pulseGapMs, 20, 1000);
  range('ring.minBurstMs', o.ring.minBurstMs, 20, 3000);
  range('ring.mergeGapMs', o.ring.mergeGapMs, o.ring.pulseGapMs, 3000);
  range('ring.ringGapMs', o.ring.ringGapMs, 1000, 30000);
  range('restartInitialMs', o.restartInitialMs, 10, 60000);
  range('restartMaxMs', o.restartMaxMs, o.restartInitialMs, 600000);
  return o;
}
