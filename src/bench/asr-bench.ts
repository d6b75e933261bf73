/**
 * Offline speech benchmark: a labelled set of WAV files through the call's own speech path
 * (resampler, voice-activity gate, Vosk with the menu grammar). Prints intent accuracy, word error
 * rate, real-time factor, end-of-speech-to-result latency (median, p95) and peak RSS.
 *
 *   npm run bench:asr -- --model DIR --set DIR [--labels FILE | --labels-from-names]
 *       [--phrases "a,b"] [--language en] [--codec ulaw|alaw] [--snr DB] [--limit N] [--json]
 *
 * The spoken digits in shared/data/fsdd-dev: --set ../shared/data/fsdd-dev --labels-from-names.
 */
import { parseArgs } from 'node:util';
import { Resampler } from '../audio/resampler.js';
import { toMono } from '../audio/wav.js';
import { readWavFile } from '../audio/wav-file.js';
import { LinekeeperError } from '../shared/errors.js';
import { classifyUtterance } from '../speech/intents/intent-classifier.js';
import { transcribeSamples } from '../speech/vosk/file-transcriber.js';
import { VoskRecognizer } from '../speech/vosk/vosk-recognizer.js';
import { type LabelledFile, labelsFromNames, readLabels } from './asr-labels.js';
import { addNoise, type Codec, g711RoundTrip } from './line-impairments.js';
import { percentile, wordErrors } from './word-error-rate.js';

const LINE_RATE = 8000;

function options() {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      set: { type: 'string' },
      labels: { type: 'string' },
      'labels-from-names': { type: 'boolean', default: false },
      phrases: { type: 'string', default: '' },
      language: { type: 'string', default: 'en' },
      codec: { type: 'string' },
      snr: { type: 'string' },
      limit: { type: 'string' },
      libvosk: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const fail = (m: string): never => {
    throw new LinekeeperError('BAD_ARGUMENT', `bench:asr: ${m}`);
  };
  if (!values.model) fail('--model DIR is required (a Vosk model; see scripts/fetch-model)');
  if (!values.set) fail('--set DIR is required (a folder of WAV files)');
  if (values.codec && values.codec !== 'ulaw' && values.codec !== 'alaw')
    fail('--codec is ulaw or alaw');
  const snr = values.snr === undefined ? null : Number(values.snr);
  if (snr !== null && !Number.isFinite(snr)) fail('--snr is a number of dB');
  const limit = values.limit === undefined ? null : Number(values.limit);
  if (limit !== null && !(Number.isInteger(limit) && limit > 0))
    fail('--limit is a positive integer');
  return {
    ...values,
    model: values.model!,
    set: values.set!,
    snr,
    limit,
    codec: values.codec as Codec | undefined,
  };
}

/** The recording as it would arrive over a phone line: 8 kHz, optionally G.711 and noise. */
function asLineAudio(
  samples: Int16Array,
  rate: number,
  codec?: Codec,
  snr?: number | null,
  seed = 1,
) {
  let line = Resampler.convert(samples, rate, LINE_RATE);
  if (snr !== null && snr !== undefined) line = addNoise(line, snr, seed);
  if (codec) line = g711RoundTrip(line, codec);
  return line;
}

function evenSpread<T>(items: T[], limit: number | null): T[] {
  if (!limit || limit >= items.length) return items;
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)]!);
}

async function main(): Promise<void> {
  const o = options();
  const labelled: LabelledFile[] = evenSpread(
    o['labels-from-names']
      ? labelsFromNames(o.set)
      : readLabels(o.set, o.labels ?? `${o.set}/labels.tsv`),
    o.limit,
  );
  const phrases = o.phrases
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const menu = { language: o.language, options: phrases.map((p) => ({ name: p, phrases: [p] })) };
  const recognizer = new VoskRecognizer({
    modelPath: o.model,
    language: o.language,
    libraryPath: o.libvosk ?? null,
  });
  const loadStarted = performance.now();
  await recognizer.start();
  const loadMs = performance.now() - loadStarted;

  let correct = 0;
  let errors = 0;
  let refWords = 0;
  let audioMs = 0;
  let processingMs = 0;
  const latencies: number[] = [];
  const misses: string[] = [];
  for (const [index, item] of labelled.entries()) {
    const wav = await readWavFile(item.file);
    const line = asLineAudio(toMono(wav), wav.sampleRate, o.codec, o.snr, index + 1);
    const t = await transcribeSamples(recognizer, line, LINE_RATE, phrases);
    const text = t.utterances
      .map((u) => u.text)
      .filter((x) => x !== '')
      .join(' ');
    const confidence = t.utterances.at(-1)?.confidence ?? 0;
    const got = classifyUtterance(text, confidence, menu);
    const gotLabel =
      got.kind === 'option' || got.kind === 'digits' ? `${got.kind}:${got.value}` : got.kind;
    const expected =
      item.intent ??
      (() => {
        const e = classifyUtterance(item.text, 1, menu);
        return e.kind === 'option' || e.kind === 'digits' ? `${e.kind}:${e.value}` : e.kind;
      })();
    if (gotLabel === expected && got.action === 'accept') correct++;
    else if (misses.length < 10)
      misses.push(
        `${item.file}: expected ${expected}, got ${gotLabel} "${text}" (${confidence.toFixed(2)})`,
      );
    const we = wordErrors(item.text, text);
    errors += we.errors;
    refWords += we.words;
    audioMs += t.audioMs;
    processingMs += t.processingMs;
    if (t.endToResultMs !== null) latencies.push(t.endToResultMs);
  }
  await recognizer.stop();

  const figures = {
    files: labelled.length,
    impairments: { codec: o.codec ?? 'none', snrDb: o.snr },
    intentAccuracy: correct / labelled.length,
    wordErrorRate: refWords === 0 ? null : errors / refWords,
    realTimeFactor: processingMs / audioMs,
    latencyMs: { median: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) },
    modelLoadMs: Math.round(loadMs),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    cpu: process.arch,
  };
  if (o.json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)} %`);
  const ms = (v: number | null) => (v === null ? '-' : `${v.toFixed(0)} ms`);
  const lines = [
    `ASR benchmark: ${figures.files} files, codec ${figures.impairments.codec}, SNR ${o.snr ?? 'clean'}`,
    `  intent accuracy   ${pct(figures.intentAccuracy)}`,
    `  word error rate   ${pct(figures.wordErrorRate)}`,
    `  real-time factor  ${figures.realTimeFactor.toFixed(3)}`,
    `  latency end->text median ${ms(figures.latencyMs.median)}, p95 ${ms(figures.latencyMs.p95)} (targets on a Pi 4: median < 300 ms; live calls add the gate's hangover)`,
    `  model load        ${figures.modelLoadMs} ms`,
    `  peak RSS          ${figures.peakRssMb} MB (target with one small model: < 300 MB)`,
    ...(misses.length > 0 ? ['  first misses:', ...misses.map((m) => `    ${m}`)] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(
    `${error instanceof LinekeeperError ? error.message : (error as Error).stack}\n`,
  );
  process.exitCode = 1;
}
