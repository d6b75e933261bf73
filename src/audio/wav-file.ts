import { readFile, writeFile } from 'node:fs/promises';
import { AudioFileError } from './audio-errors.js';
import { buildWav, parseWav, type WavAudio, type WavWriteOptions } from './wav.js';

/** Reads and parses a WAV file; I/O failures become an AudioFileError naming the path. */
export async function readWavFile(path: string): Promise<WavAudio> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new AudioFileError(path, reason, { cause: error });
  }
  return parseWav(bytes, path);
}

export async function writeWavFile(
  path: string,
  channels: Int16Array[],
  options: WavWriteOptions,
): Promise<void> {
  await writeFile(path, buildWav(channels, options));
}
