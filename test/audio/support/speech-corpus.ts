import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Resampler } from '../../../src/audio/resampler.js';
import { seededRandom } from '../../../src/audio/test-signals/signals.js';
import { parseWav, toMono } from '../../../src/audio/wav.js';

const run = promisify(execFile);

/** Varied English: IVR phrases, conversation, numbers, spelling, long vowels, questions. */
export const SENTENCES = [
  'Thank you for calling the clinic. If this is an emergency, please hang up and dial nine one one.',
  'Our opening hours are eight in the morning to six in the evening, Monday to Friday.',
  'Hello, yes, I would like to book an appointment with doctor Patel for next Tuesday, please.',
  'My date of birth is the twenty third of November, nineteen fifty seven.',
  'Could you spell that for me? It is M, A, C, K, E, N, Z, I, E.',
  'One, two, three, four, five, six, seven, eight, nine, zero, oh, hash, star.',
  'Seven seven three, four nine one, eight eight two zero. Extension four hundred and twelve.',
  'Ooooh, aaaah, eeeee, I see, mmm hmm, okay, alright then, yeah yeah yeah.',
  'Hmm, well, I am not really sure what the prescription was called. Something like amoxicillin?',
  'The weather has been terrible this week, rain every single day and the wind is howling.',
  'Please press one for appointments, two for prescriptions, or stay on the line for reception.',
  'Would you mind repeating that? The line is quite bad and I can hardly hear you.',
  'She sells sea shells by the sea shore, and the shells she sells are surely sea shells.',
  'Peter Piper picked a peck of pickled peppers. How many pickled peppers did Peter Piper pick?',
  'I need to cancel my appointment on Thursday at half past two, something came up at work.',
  'Good morning! Is that the surgery? My daughter has had a high temperature since last night.',
  'Beep beep, ding dong, la la la la, tra la la, whee, yippee, hooray!',
  'The results from the blood test came back normal, so there is nothing to worry about.',
  'Can I speak to the nurse about my blood pressure medication? It makes me feel dizzy.',
  'Four hundred and forty four, nine hundred and ninety nine, one thousand two hundred and nine.',
  'We are open on Saturday mornings for urgent cases only, from nine until twelve noon.',
  'Actually, never mind, I will call back later when the receptionist is available. Goodbye.',
  'Excuse me, sorry, hello? Hello? Is anybody there? I think we have been cut off.',
  'Eeeeeeeeeeeeee. Aaaaaaaaaaaa. Ooooooooooooo. Iiiiiiiiiiiiii. Uuuuuuuuuuuu.',
];

const ESPEAK_VOICES = [
  'en-us',
  'en-gb',
  'en-gb-scotland',
  'en-029',
  'en-gb-x-rp',
  'en-us-nyc',
  'en-gb-x-gbclan',
];
const ESPEAK_VARIANTS = [
  '',
  '+m1',
  '+m3',
  '+m5',
  '+m7',
  '+f1',
  '+f2',
  '+f3',
  '+f4',
  '+f5',
  '+klatt',
  '+croak',
];

export interface CorpusPiece {
  label: string;
  samples: Int16Array; // 8 kHz
}

async function readAt8k(path: string): Promise<Int16Array> {
  const wav = parseWav(readFileSync(path), path);
  return Resampler.convert(toMono(wav), wav.sampleRate, 8000);
}

interface Job {
  index: number;
  label: string;
  command: string;
  args: string[];
}

function planJob(index: number, rand: () => number, path: string): Job {
  const text = SENTENCES[index % SENTENCES.length]!;
  // Festival every third utterance, so roughly a third of the corpus is the second engine.
  if (index % 3 === 2) {
    const stretch = (0.75 + rand() * 0.8).toFixed(2);
    const f0 = Math.round(80 + rand() * 150);
    const params = `(target_f0_mean ${f0}) (target_f0_std ${Math.round(f0 / 6)}) (model_f0_mean 170) (model_f0_std 34)`;
    const evalExpr = `(begin (Parameter.set 'Duration_Stretch ${stretch}) (set! int_lr_params '(${params})))`;
    return {
      index,
      label: `festival kal stretch=${stretch} f0=${f0}`,
      command: 'sh',
      args: ['-c', 'printf "%s" "$1" | text2wave -o "$2" -eval "$3"', 'sh', text, path, evalExpr],
    };
  }
  const voice = ESPEAK_VOICES[Math.floor(rand() * ESPEAK_VOICES.length)]!;
  const variant = ESPEAK_VARIANTS[Math.floor(rand() * ESPEAK_VARIANTS.length)]!;
  const speed = Math.round(110 + rand() * 150);
  const pitch = Math.round(10 + rand() * 85);
  return {
    index,
    label: `espeak-ng ${voice}${variant} s=${speed} p=${pitch}`,
    command: 'espeak-ng',
    args: ['-v', `${voice}${variant}`, '-s', String(speed), '-p', String(pitch), '-w', path, text],
  };
}

/**
 * Synthesises at least `minSeconds` of speech with espeak-ng (voices x variants x rates x
 * pitches) and festival (duration stretch x mean pitch), deterministic for a given seed.
 *
 * Synthesis (~40 s of CPU, mostly festival) is the slow part, so the decoded 8 kHz corpus is
 * cached in os.tmpdir() under a hash of everything that shapes it (sentences, voices, seed,
 * length, synthesiser versions); reruns read one file. Jobs run in a pool of child processes
 * sized to the machine; the result is the shortest prefix, in plan order, that reaches
 * `minSeconds`, so it does not depend on which child finished first.
 */
export async function synthesiseCorpus(minSeconds: number, seed = 1): Promise<CorpusPiece[]> {
  const versions = await synthesiserVersions();
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        format: 2,
        minSeconds,
        seed,
        SENTENCES,
        ESPEAK_VOICES,
        ESPEAK_VARIANTS,
        versions,
        plan: planJob.toString(),
      }),
    )
    .digest('hex')
    .slice(0, 24);
  const cachePath = join(tmpdir(), `linekeeper-speech-corpus-${key}.bin`);
  const cached = readCache(cachePath);
  if (cached) return cached;
  const pieces = await synthesise(minSeconds, seed);
  writeCache(cachePath, pieces);
  return pieces;
}

async function synthesise(minSeconds: number, seed: number): Promise<CorpusPiece[]> {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-speech-'));
  const rand = seededRandom(seed);
  const done: (CorpusPiece | undefined)[] = [];
  let next = 0;
  // Seconds in the finished prefix 0..k-1: once it reaches minSeconds, no new jobs start.
  const prefixSeconds = () => {
    let seconds = 0;
    for (const piece of done) {
      if (!piece) return seconds;
      seconds += piece.samples.length / 8000;
      if (seconds >= minSeconds) return seconds;
    }
    return seconds;
  };
  const worker = async () => {
    while (prefixSeconds() < minSeconds) {
      const index = next++;
      const job = planJob(index, rand, join(dir, `u${index}.wav`));
      await run(job.command, job.args);
      const path = job.args.find((a) => a.endsWith('.wav'))!;
      done[job.index] = { label: job.label, samples: await readAt8k(path) };
      rmSync(path, { force: true });
    }
  };
  try {
    // Synthesisers are single-threaded: one or two per core keeps every core busy.
    await Promise.all(Array.from({ length: Math.max(2, availableParallelism() + 1) }, worker));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pieces: CorpusPiece[] = [];
  let seconds = 0;
  for (const piece of done) {
    if (!piece || seconds >= minSeconds) break;
    pieces.push(piece);
    seconds += piece.samples.length / 8000;
  }
  return pieces;
}

async function synthesiserVersions(): Promise<string[]> {
  const version = async (command: string, args: string[]) => {
    try {
      const { stdout, stderr } = await run(command, args);
      return `${stdout}${stderr}`.trim();
    } catch {
      return `${command}: not runnable`;
    }
  };
  return [await version('espeak-ng', ['--version']), await version('text2wave', ['-h'])];
}

/** Cache file: a JSON header line (labels and sample counts), then the samples, int16 LE. */
function readCache(path: string): CorpusPiece[] | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const bytes = readFileSync(path);
    const newline = bytes.indexOf(10);
    const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as {
      labels: string[];
      lengths: number[];
    };
    const total = header.lengths.reduce((a, b) => a + b, 0);
    if (bytes.length !== newline + 1 + total * 2) return undefined;
    const body = bytes.subarray(newline + 1);
    let at = 0;
    return header.labels.map((label, i) => {
      const n = header.lengths[i]!;
      const samples = new Int16Array(n);
      for (let j = 0; j < n; j++) samples[j] = body.readInt16LE((at + j) * 2);
      at += n;
      return { label, samples };
    });
  } catch {
    return undefined; // damaged or from another format: synthesise again
  }
}

function writeCache(path: string, pieces: CorpusPiece[]): void {
  const header = JSON.stringify({
    labels: pieces.map((p) => p.label),
    lengths: pieces.map((p) => p.samples.length),
  });
  const total = pieces.reduce((n, p) => n + p.samples.length, 0);
  const body = Buffer.alloc(total * 2);
  let at = 0;
  for (const p of pieces) {
    for (let j = 0; j < p.samples.length; j++) body.writeInt16LE(p.samples[j]!, (at + j) * 2);
    at += p.samples.length;
  }
  // Write then rename, so a parallel run never reads a half-written file.
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), body]));
  renameSync(partial, path);
}
