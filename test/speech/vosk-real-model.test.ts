import { rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import t from 'tap';
import { Resampler } from '../../src/audio/resampler.js';
import { type EvaluatedFile, evaluateFile, summarise } from '../../src/bench/asr-evaluate.js';
import { readLabels } from '../../src/bench/asr-labels.js';
import { VoskModel } from '../../src/speech/vosk/vosk-model.js';
import { VoskRecognizer } from '../../src/speech/vosk/vosk-recognizer.js';
import { hasEspeak, makeAsrSet, modelUnderTest, speak } from './support/model-under-test.js';

// Real-model tests (LINEKEEPER_VOSK_MODEL; .ci/run fetches the French small model). The speech
// is espeak-ng's, made at test time in temp folders: several voices, so no figure rests on one
// recording. Decoding is deterministic, but thresholds leave room for another espeak-ng build.
const found = modelUnderTest();
const model = 'skip' in found ? null : found;
const skipFrench =
  'skip' in found
    ? found.skip
    : !hasEspeak
      ? 'espeak-ng is not installed (apt-get install espeak-ng)'
      : found.language !== 'fr'
        ? `these use French speech; the model's language is ${found.language ?? 'unknown'} (set LINEKEEPER_VOSK_LANGUAGE)`
        : false;

if (skipFrench) t.comment(`French real-model tests skipped: ${skipFrench}`);

const VOICES = ['fr', 'fr+f2', 'fr-be'];
const RATE = 16000;

/** Speech at the model's rate between short silences, as a decoder sees one answer. */
function utterance(text: string, voice: string): Int16Array {
  const spoken = speak(text, voice);
  const speech = Resampler.convert(spoken.samples, spoken.sampleRate, RATE);
  const out = new Int16Array(speech.length + RATE * 0.8);
  out.set(speech, RATE * 0.3);
  return out;
}

let shared: VoskModel | null = null;
async function loadedModel(): Promise<VoskModel> {
  if (shared) return shared;
  shared = new VoskModel({ libraryPath: model!.libraryPath, modelPath: model!.path });
  await shared.load();
  return shared;
}
t.teardown(async () => {
  await shared?.free();
});

/** Feeds 100 ms chunks; returns the partial texts seen and the final utterance. */
async function decode(decoderGrammar: string[] | null, samples: Int16Array, m: VoskModel) {
  const decoder = m.createDecoder({ sampleRate: RATE, grammar: decoderGrammar });
  const partials: string[] = [];
  try {
    for (let i = 0; i < samples.length; i += RATE / 10) {
      await decoder.accept(samples.subarray(i, i + RATE / 10));
      const partial = await decoder.partial();
      if (partial !== '') partials.push(partial);
    }
    return { partials, final: await decoder.finalResult() };
  } finally {
    await decoder.free();
  }
}

const MENU = ['oui', 'non', 'ordonnance', 'accueil', 'rendez vous', '[unk]'];

t.test(
  'grammar recogniser: French menu words, partial then final, with word confidences',
  { skip: skipFrench },
  async (t) => {
    const m = await loadedModel();
    let heard = 0;
    let total = 0;
    let partialsSeen = 0;
    for (const voice of VOICES) {
      for (const word of ['ordonnance', 'accueil', 'oui']) {
        const { partials, final } = await decode(MENU, utterance(word, voice), m);
        total++;
        if (final.text === word) heard++;
        if (partials.length > 0) partialsSeen++;
        t.comment(`${voice} "${word}" -> "${final.text}" (${final.confidence.toFixed(2)})`);
        for (const w of final.words) {
          t.ok(w.conf >= 0 && w.conf <= 1 && w.end > w.start, `${voice}: word "${w.word}" timed`);
        }
        if (final.words.length > 0) {
          const mean = final.words.reduce((n, w) => n + w.conf, 0) / final.words.length;
          t.equal(final.confidence, mean, 'utterance confidence is the mean word confidence');
        }
      }
    }
    t.ok(heard >= Math.ceil((total * 2) / 3), `heard ${heard} of ${total} words right`);
    t.ok(partialsSeen >= Math.ceil(total / 2), `partial results before the final: ${partialsSeen}`);
  },
);

t.test(
  'the grammar is switched at runtime: a word outside it is never returned, inside it is',
  { skip: skipFrench },
  async (t) => {
    const m = await loadedModel();
    const decoder = m.createDecoder({ sampleRate: RATE, grammar: ['oui', 'non', '[unk]'] });
    t.teardown(() => decoder.free());
    const feed = async (samples: Int16Array) => {
      for (let i = 0; i < samples.length; i += RATE / 10)
        await decoder.accept(samples.subarray(i, i + RATE / 10));
      return (await decoder.finalResult()).text;
    };
    let after = 0;
    for (const voice of VOICES) {
      const audio = utterance('ordonnance', voice);
      await decoder.setGrammar(['oui', 'non', '[unk]']);
      const before = await feed(audio);
      t.notMatch(before, /ordonnance/, `${voice}: not in the yes/no grammar ("${before}")`);
      await decoder.setGrammar(['ordonnance', 'accueil', '[unk]']);
      const now = await feed(audio);
      t.comment(`${voice}: yes/no grammar "${before}", menu grammar "${now}"`);
      if (now === 'ordonnance') after++;
    }
    t.ok(after >= 2, `heard after the switch by ${after} of ${VOICES.length} voices`);
  },
);

t.test(
  'decoding runs off the main thread: timers fire while libvosk works',
  { skip: skipFrench },
  async (t) => {
    const m = await loadedModel();
    const speech = VOICES.map((v) => utterance('je voudrais un rendez-vous', v));
    const long = new Int16Array(speech.reduce((n, s) => n + s.length, 0));
    speech.reduce((at, part) => {
      long.set(part, at);
      return at + part.length;
    }, 0);
    const decoder = m.createDecoder({ sampleRate: RATE, grammar: null });
    t.teardown(() => decoder.free());
    await decoder.open();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let done = false;
    const work = decoder.accept(long).finally(() => {
      done = true;
    });
    // A synchronous native call would finish before the first timer could fire: 1 turn.
    let turns = 0;
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      turns++;
    }
    await work;
    delay.disable();
    t.ok(turns > 1, `the event loop turned ${turns} times during one accept call`);
    t.comment(
      `one accept of ${(long.length / RATE).toFixed(1)} s of audio: event loop max delay ${(delay.max / 1e6).toFixed(1)} ms, mean ${(delay.mean / 1e6).toFixed(1)} ms`,
    );
  },
);

t.test(
  'the call path: 8 kHz G.711 line audio -> resampler -> gate -> recogniser -> intent',
  { skip: skipFrench },
  async (t) => {
    const { dir, set } = makeAsrSet('fr', VOICES);
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const recognizer = new VoskRecognizer({
      modelPath: model!.path,
      language: 'fr',
      libraryPath: model!.libraryPath,
    });
    await recognizer.start();
    t.teardown(() => recognizer.stop());
    const menu = { language: 'fr', phrases: ['rendez-vous', 'ordonnance'] };
    const rows: EvaluatedFile[] = [];
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    for (const [i, item] of readLabels(set, `${set}/labels.tsv`).entries()) {
      const row = await evaluateFile(recognizer, item, menu, { codec: 'alaw' }, i + 1);
      rows.push(row);
      t.comment(`${row.correct ? 'ok  ' : 'miss'} ${row.expected} <- "${row.text}"`);
    }
    delay.disable();
    const share = (pick: (r: EvaluatedFile) => boolean) => {
      const of = rows.filter(pick);
      return { right: of.filter((r) => r.correct).length, of: of.length };
    };
    const person = share((r) => r.expected === 'person');
    const answers = share((r) => r.expected === 'yes' || r.expected === 'no');
    const prescriptions = share((r) => r.expected === 'option:ordonnance');
    t.ok(
      person.right >= (person.of * 2) / 3,
      `"accueil", "le secrétariat": ${person.right}/${person.of}`,
    );
    t.ok(answers.right >= (answers.of * 2) / 3, `"oui", "non": ${answers.right}/${answers.of}`);
    t.ok(
      prescriptions.right >= prescriptions.of / 2,
      `"ordonnance": ${prescriptions.right}/${prescriptions.of}`,
    );
    const swapped = rows.filter(
      (r) =>
        r.action === 'accept' &&
        r.expected.startsWith('option:') &&
        r.got.startsWith('option:') &&
        r.got !== r.expected,
    );
    t.same(swapped, [], 'never one menu option accepted for another');
    const f = summarise(rows, { codec: 'alaw' });
    t.comment(
      `intent accuracy ${(f.intentAccuracy * 100).toFixed(0)} %, WER ${((f.wordErrorRate ?? 0) * 100).toFixed(0)} %, RTF ${f.realTimeFactor.toFixed(3)}, event loop max delay while decoding ${(delay.max / 1e6).toFixed(1)} ms`,
    );
    const sequences = rows.filter((r) => /^digits:\d{2,}$/.test(r.expected));
    t.test(
      'spoken digit sequences ("un deux trois quatre" -> 1234)',
      {
        todo: 'with a runtime grammar the French small model drops short digit words of espeak-ng voices over the phone band (see docs/decisions.md); single digits work',
      },
      async (t) => {
        for (const r of sequences) t.equal(r.got, r.expected, `"${r.text}"`);
      },
    );
  },
);
