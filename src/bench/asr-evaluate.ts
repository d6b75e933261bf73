import { Resampler } from '../audio/resampler.js';
import { toMono } from '../audio/wav.js';
import { readWavFile } from '../audio/wav-file.js';
import { classifyUtterance, type Intent } from '../speech/intents/intent-classifier.js';
import { transcribeSamples } from '../speech/vosk/file-transcriber.js';
import type { VoskRecognizer } from '../speech/vosk/vosk-recognizer.js';
import type { LabelledFile } from './asr-labels.js';
import { addNoise, type Codec, g711RoundTrip } from './line-impairments.js';
import { percentile, wordErrors } from './word-error-rate.js';

export const LINE_RATE = 8000;
/**
 * Line audio around each recording. A caller answers on a line that was open before and stays
 * open after: the voice-activity gate learns the noise floor from the lead-in (a clip that starts
 * with speech would set the floor to speech), and the tail lets the gate end the utterance
 * itself, as in a call, instead of the end of the file doing it.
 */
const LEAD_MS = 500;
const TAIL_MS = 700;

export interface LineConditions {
  codec?: Codec | undefined;
  /** White noise this many dB below the speech's mean power; null: none. */
  snrDb?: number | null | undefined;
}

/** The recording as it would arrive over a phone line: 8 kHz, padded, optionally noise and G.711. */
export function asLineAudio(
  samples: Int16Array,
  rate: number,
  conditions: LineConditions,
  seed = 1,
): Int16Array {
  const speech = Resampler.convert(samples, rate, LINE_RATE);
  const lead = (LEAD_MS / 1000) * LINE_RATE;
  let line: Int16Array = new Int16Array(lead + speech.length + (TAIL_MS / 1000) * LINE_RATE);
  line.set(speech, lead);
  const { codec, snrDb } = conditions;
  if (snrDb !== null && snrDb !== undefined && speech.length > 0) {
    // addNoise measures power over the whole buffer; correct for the silent padding so the
    // noise sits snrDb below the speech itself, and covers the padding too (line noise).
    line = addNoise(line, snrDb + 10 * Math.log10(speech.length / line.length), seed);
  }
  if (codec) line = g711RoundTrip(line, codec);
  return line;
}

export interface EvaluatedFile {
  file: string;
  expected: string;
  got: string;
  action: Intent['action'];
  correct: boolean;
  text: string;
  confidence: number;
  wordErrors: number;
  referenceWords: number;
  audioMs: number;
  processingMs: number;
  endToResultMs: number | null;
}

export interface AsrFigures {
  files: number;
  impairments: { codec: string; snrDb: number | null };
  intentAccuracy: number;
  wordErrorRate: number | null;
  realTimeFactor: number;
  latencyMs: { median: number | null; p95: number | null };
}

export interface MenuUnderTest {
  language: string;
  /** Each phrase is its own option, named by the phrase. */
  phrases: string[];
}

/** "option:NAME", "digits:N", or the intent kind: what labels files and the bench compare. */
export function intentLabel(intent: Pick<Intent, 'kind' | 'value'>): string {
  return intent.kind === 'option' || intent.kind === 'digits'
    ? `${intent.kind}:${intent.value}`
    : intent.kind;
}

/** One labelled recording through the call's speech path, and what the menu made of it. */
export async function evaluateFile(
  recognizer: VoskRecognizer,
  item: LabelledFile,
  menu: MenuUnderTest,
  conditions: LineConditions,
  seed = 1,
): Promise<EvaluatedFile> {
  const options = menu.phrases.map((p) => ({ name: p, phrases: [p] }));
  const intents = { language: menu.language, options };
  const wav = await readWavFile(item.file);
  const line = asLineAudio(toMono(wav), wav.sampleRate, conditions, seed);
  const t = await transcribeSamples(recognizer, line, LINE_RATE, menu.phrases);
  const text = t.utterances
    .map((u) => u.text)
    .filter((x) => x !== '')
    .join(' ');
  const confidence = t.utterances.at(-1)?.confidence ?? 0;
  const got = classifyUtterance(text, confidence, intents);
  const expected = item.intent ?? intentLabel(classifyUtterance(item.text, 1, intents));
  const we = wordErrors(item.text, text);
  return {
    file: item.file,
    expected,
    got: intentLabel(got),
    action: got.action,
    correct: intentLabel(got) === expected && got.action === 'accept',
    text,
    confidence,
    wordErrors: we.errors,
    referenceWords: we.words,
    audioMs: t.audioMs,
    processingMs: t.processingMs,
    endToResultMs: t.endToResultMs,
  };
}

/** Intent accuracy, word error rate, real-time factor and latency over evaluated files. */
export function summarise(rows: readonly EvaluatedFile[], conditions: LineConditions): AsrFigures {
  const sum = (f: (r: EvaluatedFile) => number) => rows.reduce((n, r) => n + f(r), 0);
  const refWords = sum((r) => r.referenceWords);
  const latencies = rows.flatMap((r) => (r.endToResultMs === null ? [] : [r.endToResultMs]));
  return {
    files: rows.length,
    impairments: { codec: conditions.codec ?? 'none', snrDb: conditions.snrDb ?? null },
    intentAccuracy: rows.length === 0 ? 0 : sum((r) => (r.correct ? 1 : 0)) / rows.length,
    wordErrorRate: refWords === 0 ? null : sum((r) => r.wordErrors) / refWords,
    realTimeFactor:
      sum((r) => r.processingMs) /
      Math.max(
        1,
        sum((r) => r.audioMs),
      ),
    latencyMs: { median: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) },
  };
}
