import { DspConfigError } from './audio-errors.js';
import { BiquadCascade, butterworthHighPass } from './biquad-cascade.js';

/**
 * Removes DC offset and mains hum (50/60 Hz and the strongest low harmonics) ahead of detection.
 * Cheap modems and line interfaces add both; left in, they inflate the total energy that the
 * detectors compare tones against and can hold a voice-activity detector open.
 *
 * A 4th-order Butterworth high-pass. The telephone band starts at 300 Hz and every tone we
 * detect is above 340 Hz, so a 200 Hz corner costs < 0.3 dB at 350 Hz while taking about
 * 48 dB off 50 Hz and 38 dB off 60 Hz.
 */
export class DcHumFilter extends BiquadCascade {
  constructor(sampleRate = 8000, cornerHz = 200) {
    super(humFilterSections(sampleRate, cornerHz));
  }
}

/** The hum filter's sections, for loops that fuse it with other filters. */
export function humFilterSections(sampleRate = 8000, cornerHz = 200): number[][] {
  if (!(cornerHz > 0 && cornerHz < sampleRate / 4)) {
    throw new DspConfigError(
      `hum filter corner ${cornerHz} Hz must be between 0 and ${sampleRate / 4} Hz`,
    );
  }
  return butterworthHighPass(4, cornerHz, sampleRate);
}
