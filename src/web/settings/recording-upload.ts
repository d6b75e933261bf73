import { WavFormatError } from '../../audio/audio-errors.js';
import { Resampler } from '../../audio/resampler.js';
import { buildWav, parseWav } from '../../audio/wav.js';
import { PROMPT_SAMPLE_RATE } from '../../prompts/prompt-audio-port.js';

/** Upload limit: a minute of 16-bit 16 kHz speech fits; a music album does not. */
export const MAX_RECORDING_BYTES = 2 * 1024 * 1024;
/** The encodings a clinic's recorder or phone system is likely to produce. */
const ACCEPTED_FORMATS = new Set(['s16le', 'ulaw', 'alaw']);

export type RecordingProblem =
  | { reason: 'not-wav'; detail: string }
  | { reason: 'encoding'; detail: string }
  | { reason: 'channels'; detail: string }
  | { reason: 'empty'; detail: string };

/** A refused upload; `problem.reason` picks the page's message, `detail` is for the technician. */
export class RecordingRejectedError extends Error {
  readonly problem: RecordingProblem;
  constructor(problem: RecordingProblem) {
    super(`recording refused (${problem.reason}): ${problem.detail}`);
    this.problem = problem;
  }
}

/**
 * An uploaded WAV as the line plays it: 8 kHz mono 16-bit PCM, resampled with the same
 * band-limiting resampler the DSP uses. Only mono PCM 16-bit or G.711 is taken: anything else
 * is refused rather than guessed at (a stereo file usually means the wrong export settings).
 */
export function telephoneRecording(bytes: Uint8Array): Uint8Array {
  let audio: ReturnType<typeof parseWav>;
  try {
    audio = parseWav(bytes, 'upload');
  } catch (error) {
    if (error instanceof WavFormatError)
      throw new RecordingRejectedError({ reason: 'not-wav', detail: error.message });
    throw error;
  }
  if (!ACCEPTED_FORMATS.has(audio.sourceFormat)) {
    throw new RecordingRejectedError({
      reason: 'encoding',
      detail: `the file is ${audio.sourceFormat}; save it as 16-bit PCM, mu-law or A-law`,
    });
  }
  if (audio.channels.length !== 1) {
    throw new RecordingRejectedError({
      reason: 'channels',
      detail: `the file has ${audio.channels.length} channels; save it as mono`,
    });
  }
  const samples = audio.channels[0]!;
  if (samples.length < audio.sampleRate / 10) {
    throw new RecordingRejectedError({
      reason: 'empty',
      detail: `${samples.length} samples: shorter than 0.1 s`,
    });
  }
  const telephone = Resampler.convert(samples, audio.sampleRate, PROMPT_SAMPLE_RATE);
  return buildWav([telephone], { sampleRate: PROMPT_SAMPLE_RATE });
}
