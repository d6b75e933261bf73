import { parseWav, toMono } from '../audio/wav.js';
import { PROMPT_SAMPLE_RATE, type SpeechSynthesizer } from './prompt-audio-port.js';
import { runTool } from './run-tool.js';

/** espeak-ng voices per language; telephone listeners cope best with a slightly slow voice. */
const VOICES: Record<string, string> = { en: 'en-us', de: 'de', es: 'es' };

export interface EspeakOptions {
  wordsPerMinute?: number;
  pitch?: number;
}

/**
 * Offline TTS with espeak-ng (Debian package), resampled to 8 kHz by sox with its band-limiting
 * filter, so prompts do not alias on the line. Text goes in on stdin, never on the command line.
 */
export class EspeakSynthesizer implements SpeechSynthesizer {
  readonly kind = 'espeak-ng';
  readonly #speed: number;
  readonly #pitch: number;

  constructor(options: EspeakOptions = {}) {
    this.#speed = options.wordsPerMinute ?? 150;
    this.#pitch = options.pitch ?? 50;
  }

  describe(language: string): string {
    return `espeak-ng:${voiceFor(language)}:s${this.#speed}:p${this.#pitch}`;
  }

  async synthesize(text: string, language: string): Promise<Int16Array> {
    const wav = await runTool(
      'espeak-ng',
      [
        '-v',
        voiceFor(language),
        '-s',
        String(this.#speed),
        '-p',
        String(this.#pitch),
        '--stdin',
        '--stdout',
      ],
      text,
    );
    const telephone = await runTool(
      'sox',
      [
        '-t',
        'wav',
        '-',
        '-t',
        'wav',
        '-r',
        String(PROMPT_SAMPLE_RATE),
        '-c',
        '1',
        '-b',
        '16',
        '-e',
        'signed-integer',
        '-',
      ],
      wav,
    );
    return toMono(parseWav(telephone, 'espeak-ng output'));
  }
}

export function voiceFor(language: string): string {
  return VOICES[language.slice(0, 2)] ?? VOICES.en!;
}
