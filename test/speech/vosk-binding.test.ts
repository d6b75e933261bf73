import t, { type Test } from 'tap';
import { ensureLibvosk, runProbe } from './support/run-probe.js';

// The binding against the real libvosk (fetched by scripts/fetch-libvosk.sh when missing). Each
// scenario runs in a child process, so a segfault fails a test instead of killing tap.
const lib = ensureLibvosk();
const skip = 'error' in lib ? lib.error : false;
const env = 'path' in lib ? { LIBVOSK: lib.path } : {};
const MODEL = process.env.LINEKEEPER_VOSK_MODEL;

type Report = Record<string, unknown>;
const byCase = (reports: Report[]) => new Map(reports.map((r) => [String(r.case), r]));

function assertClean(t: Test, outcome: Awaited<ReturnType<typeof runProbe>>, scenario: string) {
  t.equal(outcome.signal, null, `${scenario}: no native crash (signal)`);
  t.equal(outcome.code, 0, `${scenario}: child exited 0`);
  t.ok(
    outcome.reports.some((r) => r.done === scenario),
    `${scenario}: ran to the end`,
  );
}

t.test('libvosk loads and reports what it can do', { skip }, async (t) => {
  const outcome = await runProbe('load', [], env);
  assertClean(t, outcome, 'load');
  const [info] = outcome.reports;
  t.equal(info?.loaded, true);
  t.equal(info?.sameInstance, true, 'one library instance per path');
  t.equal(info?.version, '0.3.39', 'version recorded by the fetch script (libvosk exports none)');
  // 0.3.39 has neither; the binding falls back to recreating the recogniser and to VAD endpoints.
  t.equal(info?.runtimeGrammar, false);
  t.equal(info?.endpointer, false);
});

t.test('a missing or broken library is a typed error', { skip }, async (t) => {
  const outcome = await runProbe('library-errors', [], env);
  assertClean(t, outcome, 'library-errors');
  const cases = byCase(outcome.reports);
  for (const name of ['missing', 'not-elf']) {
    t.equal(cases.get(name)?.code, 'VOSK_LIBRARY_UNAVAILABLE', name);
    t.match(
      String(cases.get(name)?.message),
      /scripts\/fetch-libvosk\.sh/,
      `${name}: says how to fix it`,
    );
  }
  t.match(String(cases.get('missing')?.message), /does not exist/);
  t.match(String(cases.get('not-elf')?.message), /cannot be loaded/);
});

t.test(
  'bad, incomplete and corrupt models are typed errors, not segfaults',
  { skip },
  async (t) => {
    const outcome = await runProbe('model-errors', [], env);
    assertClean(t, outcome, 'model-errors');
    const cases = byCase(outcome.reports);
    t.equal(cases.get('missing')?.code, 'VOSK_MODEL_MISSING');
    t.match(String(cases.get('missing')?.message), /no such directory.*scripts\/fetch-model/);
    t.equal(cases.get('file')?.code, 'VOSK_MODEL_MISSING');
    t.equal(cases.get('incomplete')?.code, 'VOSK_MODEL_INCOMPLETE');
    t.match(String(cases.get('incomplete')?.message), /am\/final\.mdl/);
    t.equal(cases.get('corrupt')?.code, 'VOSK_MODEL_REJECTED', 'libvosk itself rejected it');
    t.equal(cases.get('corrupt')?.loaded, false);
    t.equal(cases.get('raw-null')?.handle, null, 'vosk_model_new returns NULL on a bad path');
  },
);

t.test('handles are checked: wrong rates, freed handles, empty grammars', { skip }, async (t) => {
  const outcome = await runProbe('handle-guards', [], env);
  assertClean(t, outcome, 'handle-guards');
  const cases = byCase(outcome.reports);
  t.equal(cases.get('decoder-before-load')?.code, 'VOSK_HANDLE_FREED');
  t.equal(cases.get('find-word-before-load')?.code, 'VOSK_HANDLE_FREED');
  for (const rate of ['8000', '44100', '0', 'NaN', '16000.5']) {
    t.equal(cases.get(`rate-${rate}`)?.code, 'VOSK_SAMPLE_RATE', `${rate} Hz refused`);
  }
  t.match(String(cases.get('rate-8000')?.message), /trained at 16000 Hz; resample first/);
  for (const name of ['accept-after-free', 'result-after-free', 'grammar-after-free'])
    t.equal(cases.get(name)?.code, 'VOSK_HANDLE_FREED', name);
  t.equal(cases.get('double-free-decoder')?.ok, true);
  t.equal(cases.get('bad-grammar')?.code, 'VOSK_GRAMMAR_INVALID');
});

t.test('repeated and concurrent create/free does not crash', { skip }, async (t) => {
  const outcome = await runProbe('repeat', ['60'], env);
  assertClean(t, outcome, 'repeat');
  const [r] = outcome.reports;
  t.equal(r?.nulls, 60, 'every bad load gave NULL');
  t.equal(r?.typed, 60, 'every corrupt load became VOSK_MODEL_REJECTED');
  t.equal(r?.parallelNulls, 8, 'parallel loads on worker threads too');
});

t.test(
  'the crash check can fail: raw NULL into libvosk is caught as a signal',
  { skip },
  async (t) => {
    const outcome = await runProbe('crash-canary', [], env);
    t.ok(
      outcome.signal !== null || (outcome.code ?? 0) > 128,
      `child crashed (${outcome.signal ?? outcome.code})`,
    );
    t.notOk(
      outcome.reports.some((r) => r.survived),
      'it did not survive',
    );
  },
);

t.test(
  'with a real model: load, vocabulary, wrong rate, grammar switches, create/free cycles',
  { skip: skip || (MODEL ? false : 'set LINEKEEPER_VOSK_MODEL to a Vosk model directory') },
  async (t) => {
    const outcome = await runProbe('real-model', ['30'], { ...env, LINEKEEPER_VOSK_MODEL: MODEL });
    assertClean(t, outcome, 'real-model');
    const cases = byCase(outcome.reports);
    t.equal(cases.get('loaded')?.rate, 16000);
    t.equal(cases.get('knows')?.nonsense, false);
    t.equal(cases.get('wrong-rate')?.code, 'VOSK_SAMPLE_RATE');
    t.ok(cases.has('cycles-done'));
    for (const fraction of ['0.5', '0.01']) {
      const c = cases.get(`truncated-${fraction}`);
      t.equal(c?.code, 'VOSK_MODEL_REJECTED', `final.mdl cut to ${fraction}: typed error`);
      t.equal(c?.loaded, false);
    }
    t.ok(cases.has('freed'));
  },
);
