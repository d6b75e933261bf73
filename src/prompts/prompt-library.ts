import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildWav, parseWav, toMono } from '../audio/wav.js';
import type { AudioFrame, Prompt } from '../line/line-port.js';
import {
  PROMPT_SAMPLE_RATE,
  type PromptAudio,
  type SpeechSynthesizer,
} from './prompt-audio-port.js';
import { runTool } from './run-tool.js';

export type PromptSource = 'recording' | 'cache' | 'rendered';

/**
 * Prompt audio for calls. A clinic's own recording at `<recordings>/<language>/<prompt id>.wav`
 * wins (the first of `recordingsDirs` that has one: uploads from the web page, then the
 * configured folder); otherwise the text is synthesised once and kept in `<cacheDir>` under a hash of
 * text + voice settings, so an edited prompt is re-rendered and an unchanged one never is.
 * Writes are atomic (temp file + rename): a power cut leaves no half-written prompt.
 */
export class PromptLibrary implements PromptAudio {
  readonly #cacheDir: string;
  readonly #recordingsDirs: readonly string[];
  readonly #synth: SpeechSynthesizer;
  readonly #memory = new Map<string, Int16Array>();
  /** One render per text at a time, however many calls ask for it. */
  readonly #inflight = new Map<string, Promise<{ samples: Int16Array; source: PromptSource }>>();

  constructor(options: {
    cacheDir: string;
    recordingsDirs: readonly string[];
    synthesizer: SpeechSynthesizer;
  }) {
    this.#cacheDir = options.cacheDir;
    this.#recordingsDirs = options.recordingsDirs;
    this.#synth = options.synthesizer;
  }

  async audioFor(prompt: Pick<Prompt, 'id' | 'text' | 'language'>): Promise<AudioFrame> {
    const { samples } = await this.load(prompt);
    return { samples, sampleRate: PROMPT_SAMPLE_RATE, timestampMs: 0 };
  }

  /** Loads or renders one prompt and says where it came from (for `prompts render`). */
  load(
    prompt: Pick<Prompt, 'id' | 'text' | 'language'>,
  ): Promise<{ samples: Int16Array; source: PromptSource }> {
    const language = prompt.language ?? 'en';
    const key = `${language}\u0000${prompt.id}\u0000${prompt.text}`;
    const memory = this.#memory.get(key);
    if (memory) return Promise.resolve({ samples: memory, source: 'cache' });
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.#loadUncached(prompt.id, prompt.text, language).finally(() =>
        this.#inflight.delete(key),
      );
      this.#inflight.set(key, pending);
    }
    return pending.then((result) => {
      this.#memory.set(key, result.samples);
      return result;
    });
  }

  /**
   * Forgets what calls were given for one prompt id, so a new or removed recording or a fresh
   * rendering is heard on the next call rather than after a restart.
   */
  forget(id: string, language: string): void {
    const prefix = `${language}\u0000${id}\u0000`;
    for (const key of this.#memory.keys()) if (key.startsWith(prefix)) this.#memory.delete(key);
  }

  /**
   * The synthesised voice for a prompt, recordings aside (to listen to it on the web page).
   * `force` renders again even when the cache has it (a damaged or outdated rendering).
   */
  async synthesized(
    prompt: Pick<Prompt, 'id' | 'text' | 'language'>,
    options: { force?: boolean } = {},
  ): Promise<{ samples: Int16Array; source: 'cache' | 'rendered' }> {
    const language = prompt.language ?? 'en';
    const file = this.#cacheFile(prompt.text, language);
    if (options.force) {
      this.forget(prompt.id, language);
      await rm(file, { force: true });
    } else {
      const cached = await readCached(file);
      if (cached) return { samples: cached, source: 'cache' };
    }
    const samples = await this.#synth.synthesize(prompt.text, language);
    await writeAtomically(file, buildWav([samples], { sampleRate: PROMPT_SAMPLE_RATE }));
    return { samples, source: 'rendered' };
  }

  #cacheFile(text: string, language: string): string {
    return join(this.#cacheDir, `${hash(`${this.#synth.describe(language)}\u0000${text}`)}.wav`);
  }

  async #loadUncached(
    id: string,
    text: string,
    language: string,
  ): Promise<{ samples: Int16Array; source: PromptSource }> {
    const recorded = await this.#recording(id, language);
    if (recorded) return { samples: recorded, source: 'recording' };
    const file = this.#cacheFile(text, language);
    const cached = await readCached(file);
    if (cached) return { samples: cached, source: 'cache' };
    const samples = await this.#synth.synthesize(text, language);
    await writeAtomically(file, buildWav([samples], { sampleRate: PROMPT_SAMPLE_RATE }));
    return { samples, source: 'rendered' };
  }

  async #recording(id: string, language: string): Promise<Int16Array | null> {
    if (!/^[a-z0-9:-]+$/.test(id) || !/^[a-z]{2}(-[A-Z]{2})?$/.test(language)) return null;
    let source = '';
    let bytes: Buffer | null = null;
    for (const dir of this.#recordingsDirs) {
      source = recordingPath(dir, language, id);
      bytes = await readFile(source).catch(() => null);
      if (bytes) break;
    }
    if (!bytes) return null;
    // Uploads from the web page are stored ready to play (8 kHz mono 16-bit): no sox needed.
    const ready = parseWavOrNull(bytes, source);
    if (
      ready?.sampleRate === PROMPT_SAMPLE_RATE &&
      ready.channels.length === 1 &&
      ready.sourceFormat === 's16le'
    )
      return ready.channels[0]!;
    // Recordings come in any rate and format: convert once, cached by their content.
    const file = join(this.#cacheDir, `rec-${hash(bytes)}.wav`);
    const cached = await readCached(file);
    if (cached) return cached;
    const telephone = await runTool(
      'sox',
      [
        source,
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
      null,
    );
    const samples = toMono(parseWav(telephone, source));
    await writeAtomically(file, buildWav([samples], { sampleRate: PROMPT_SAMPLE_RATE }));
    return samples;
  }
}

/** Where a recording for a prompt id lives: `<dir>/<language>/<id, ':' as '-'>.wav`. */
export function recordingPath(dir: string, language: string, id: string): string {
  return join(dir, language, `${id.replace(/:/g, '-')}.wav`);
}

function parseWavOrNull(bytes: Uint8Array, file: string) {
  try {
    return parseWav(bytes, file);
  } catch {
    return null;
  }
}

function hash(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 40);
}

async function readCached(file: string): Promise<Int16Array | null> {
  try {
    const audio = parseWav(await readFile(file), file);
    return audio.sampleRate === PROMPT_SAMPLE_RATE ? toMono(audio) : null;
  } catch {
    // Missing or damaged: render again rather than fail a call.
    return null;
  }
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, bytes);
  await rename(temp, file);
}
