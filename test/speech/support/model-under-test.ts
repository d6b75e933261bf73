import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWav, toMono } from '../../../src/audio/wav.js';
import { ensureLibvosk, REPO_ROOT } from './run-probe.js';

export interface ModelUnderTest {
  path: string;
  /** From LINEKEEPER_VOSK_LANGUAGE, else the language scripts/fetch-model recorded; null: unknown. */
  language: string | null;
  libraryPath: string;
}

/**
 * The real model the model-dependent tests use (LINEKEEPER_VOSK_MODEL), or the reason they are
 * skipped. .ci/run fetches one and sets the variable; a failed fetch is printed there.
 */
export function modelUnderTest(): ModelUnderTest | { skip: string } {
  const lib = ensureLibvosk();
  if ('error' in lib) return { skip: lib.error };
  const path = process.env.LINEKEEPER_VOSK_MODEL;
  if (!path) return { skip: 'set LINEKEEPER_VOSK_MODEL to a Vosk model directory' };
  if (!existsSync(path)) return { skip: `LINEKEEPER_VOSK_MODEL=${path} does not exist` };
  return { path, language: modelLanguage(path), libraryPath: lib.path };
}

function modelLanguage(path: string): string | null {
  if (process.env.LINEKEEPER_VOSK_LANGUAGE) return process.env.LINEKEEPER_VOSK_LANGUAGE;
  try {
    const info = JSON.parse(readFileSync(join(path, '.linekeeper-model.json'), 'utf8'));
    return typeof info.language === 'string' && info.language !== '' ? info.language : null;
  } catch {
    return null;
  }
}

export const hasEspeak = spawnSync('espeak-ng', ['--version']).status === 0;

/** One utterance from espeak-ng as mono samples at its own rate (22050 Hz). */
export function speak(
  text: string,
  voice: string,
  options: { rate?: number; pitch?: number } = {},
): { samples: Int16Array; sampleRate: number } {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-speak-'));
  const file = join(dir, 'utterance.wav');
  const args = ['-v', voice, '-w', file];
  if (options.rate) args.push('-s', String(options.rate));
  if (options.pitch) args.push('-p', String(options.pitch));
  try {
    const run = spawnSync('espeak-ng', [...args, text], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`espeak-ng -v ${voice} failed: ${run.stderr}`);
    const wav = parseWav(readFileSync(file));
    return { samples: toMono(wav), sampleRate: wav.sampleRate };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs scripts/make-asr-set into a fresh temp folder; remove `dir` when done. */
export function makeAsrSet(language: string, voices: string[]): { dir: string; set: string } {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-asr-set-'));
  const out = join(dir, 'set');
  const run = spawnSync(
    'bash',
    [
      join(REPO_ROOT, 'scripts/make-asr-set'),
      '--out',
      out,
      '--language',
      language,
      '--voices',
      voices.join(' '),
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`scripts/make-asr-set failed: ${run.stderr}`);
  return { dir, set: out };
}
