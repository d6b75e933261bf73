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
import { LinekeeperError } from '../shared/errors.js';
import { VoskRecognizer } from '../speech/vosk/vosk-recognizer.js';
import { type EvaluatedFile, evaluateFile, summarise } from './asr-evaluate.js';
import { type LabelledFile, labelsFromNames, readLabels } from './asr-labels.js';
import type { Codec } from './line-impairments.js';

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
  const menu = { language: o.language, phrases };
  const recognizer = new VoskRecognizer({
    modelPath: o.model,
    language: o.language,
    libraryPath: o.libvosk ?? null,
  });
  const loadStarted = performance.now();
  await recognizer.start();
  const loadMs = performance.now() - loadStarted;

  const conditions = { codec: o.codec, snrDb: o.snr };
  const rows: EvaluatedFile[] = [];
  for (const [index, item] of labelled.entries()) {
    rows.push(await evaluateFile(recognizer, item, menu, conditions, index + 1));
  }
  await recognizer.stop();

  const figures = {
    ...summarise(rows, conditions),
    modelLoadMs: Math.round(loadMs),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    cpu: process.arch,
    byIntent: byExpectedIntent(rows),
  };
  if (o.json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const misses = rows
    .filter((r) => !r.correct)
    .slice(0, 10)
    .map(
      (r) =>
        `${r.file}: expected ${r.expected}, got ${r.got} "${r.text}" (${r.confidence.toFixed(2)}, ${r.action})`,
    );
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
    '  by expected intent (correct/files):',
    ...Object.entries(figures.byIntent).map(
      ([k, v]) => `    ${k.padEnd(24)} ${v.correct}/${v.files}`,
    ),
    ...(misses.length > 0 ? ['  first misses:', ...misses.map((m) => `    ${m}`)] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function byExpectedIntent(rows: readonly EvaluatedFile[]) {
  const out: Record<string, { files: number; correct: number }> = {};
  for (const r of rows) {
    const entry = out[r.expected] ?? { files: 0, correct: 0 };
    out[r.expected] = entry;
    entry.files++;
    if (r.correct) entry.correct++;
  }
  return out;
}

try {
  await main();
} catch (error) {
  process.stderr.write(
    `${error instanceof LinekeeperError ? error.message : (error as Error).stack}\n`,
  );
  process.exitCode = 1;
}
