import { resolve } from 'node:path';
import { dataPaths } from '../appliance/paths.js';
import type { Config } from '../config/config-schema.js';
import { EspeakSynthesizer } from './espeak-synthesizer.js';
import { PromptLibrary } from './prompt-library.js';

export function createPromptLibrary(config: Config): PromptLibrary {
  return new PromptLibrary({
    cacheDir: dataPaths(config).promptCache,
    recordingsDir: config.prompts.recordings ? resolve(config.prompts.recordings) : null,
    synthesizer: new EspeakSynthesizer({
      wordsPerMinute: config.prompts.wordsPerMinute,
      pitch: config.prompts.pitch,
    }),
  });
}
