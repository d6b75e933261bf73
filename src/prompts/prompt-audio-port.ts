import type { AudioFrame, Prompt } from '../line/line-port.js';

/**
 * The port through which a call gets the sound of a prompt: a recorded WAV when the clinic
 * supplied one, else offline text-to-speech, cached. Lines that play audio (modem, sound card)
 * need it; the simulated line does not.
 */
export interface PromptAudio {
  audioFor(prompt: Pick<Prompt, 'id' | 'text' | 'language'>): Promise<AudioFrame>;
}

/** Turns text into 8 kHz mono 16-bit samples. */
export interface SpeechSynthesizer {
  readonly kind: string;
  /** Everything that changes the sound (engine, voice, speed): part of the cache key. */
  describe(language: string): string;
  synthesize(text: string, language: string): Promise<Int16Array>;
}

export const PROMPT_SAMPLE_RATE = 8000;
