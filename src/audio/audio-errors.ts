import { LinekeeperError } from '../shared/errors.js';

/** Audio handed to a DSP function is not usable as given (wrong length, rate, format). */
export class AudioFormatError extends LinekeeperError {
  constructor(message: string) {
    super('AUDIO_FORMAT', message);
  }
}

/**
 * A WAV file cannot be read. `file` is the path or a label for the buffer, so a technician can
 * find the recording; `offset` points at the byte where the problem was found.
 */
export class WavFormatError extends LinekeeperError {
  readonly file: string;
  readonly offset: number;

  constructor(file: string, offset: number, problem: string) {
    super('WAV_MALFORMED', `${file}: not a usable WAV file at byte ${offset}: ${problem}`);
    this.file = file;
    this.offset = offset;
  }
}

/** A configuration value for a DSP component is out of its working range. */
export class DspConfigError extends LinekeeperError {
  constructor(message: string) {
    super('DSP_CONFIG', message);
  }
}

/** An audio file could not be opened or read at all (missing, permissions, I/O error). */
export class AudioFileError extends LinekeeperError {
  readonly file: string;

  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super('AUDIO_FILE_UNREADABLE', `${file}: cannot read the audio file (${reason})`, options);
    this.file = file;
  }
}
