import { resolve } from 'node:path';
import { dataPaths } from '../appliance/paths.js';
import type { Config } from '../config/config-schema.js';
import { EspeakSynthesizer } from './espeak-synthesizer.js';
import { PromptLibrary } from './prompt-library.js';

/** Recordings uploaded on the web page (the service can write only under dataDir). */
export function uploadedRecordingsDir(config: Config): string {
  return resolve(dataPaths(config).dataDir, 'recordings');
}

export function createPromptLibrary(config: Config): PromptLibrary {
  return new PromptLibrary({
    cacheDir: dataPaths(config).promptCache,
    // An upload from the web page wins over the configured folder: it is the newer choice.
    recordingsDirs: [
      uploadedRecordingsDir(config),
      ...(config.prompts.recordings ? [resolve(config.prompts.recordings)] : []),
    ],
    synthesizer: new EspeakSynthesizer({
      wordsPerMinute: config.prompts.wordsPerMinute,
      pitch: config.prompts.pitch,
    }),
  });
}
