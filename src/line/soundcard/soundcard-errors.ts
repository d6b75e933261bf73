import { LinekeeperError } from '../../shared/errors.js';

/** Anything the sound-card line cannot do; the message says what to check. */
export class SoundcardError extends LinekeeperError {}

export class SoundcardConfigError extends SoundcardError {
  constructor(key: string, problem: string) {
    super('SOUNDCARD_CONFIG', `line.soundcard.${key}: ${problem}`);
  }
}

/** The capture or playback program could not run or stopped. */
export class SoundcardDeviceError extends SoundcardError {
  constructor(
    direction: 'capture' | 'playback',
    program: string,
    device: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    const hint =
      problem.includes('ENOENT') || problem.includes('not found')
        ? `install alsa-utils (apt-get install alsa-utils) so ${program} exists`
        : `check the USB sound card is plugged in and that 'arecord -l' lists '${device}'`;
    super(
      direction === 'capture' ? 'SOUNDCARD_CAPTURE_FAILED' : 'SOUNDCARD_PLAYBACK_FAILED',
      `sound-card ${direction} with ${program} on '${device}' failed: ${problem}; ${hint}`,
      options,
    );
  }
}
