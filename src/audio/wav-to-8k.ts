import { Resampler } from './resampler.js';
import { toMono, type WavAudio } from './wav.js';

/** Mono 8 kHz samples from any WAV: what the detectors run on. */
export function wavTo8kMono(audio: WavAudio): Int16Array {
  return Resampler.convert(toMono(audio), audio.sampleRate, 8000);
}
