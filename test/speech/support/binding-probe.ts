// Child-process side of the libvosk binding tests (see run-probe.ts). Prints one JSON object
// per finding; a native crash shows up as the child's exit signal.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinekeeperError } from '../../../src/shared/errors.js';
import { loadLibVosk } from '../../../src/speech/vosk/libvosk.js';
import { libvoskVersion } from '../../../src/speech/vosk/libvosk-location.js';
import { VoskDecoder } from '../../../src/speech/vosk/vosk-decoder.js';
import { VoskModel } from '../../../src/speech/vosk/vosk-model.js';

const [scenario = '', ...args] = process.argv.slice(2);
const libraryPath = process.env.LIBVOSK ?? '';

function report(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function errorOf(fn: () => unknown): Promise<Record<string, unknown>> {
  try {
    await fn();
    return { threw: false };
  } catch (error) {
    return error instanceof LinekeeperError
      ? { threw: true, code: error.code, message: error.message, name: error.name }
      : { threw: true, code: null, message: String(error) };
  }
}

function corruptModel(): string {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-corrupt-model-'));
  for (const sub of ['am', 'conf', 'graph', 'ivector']) mkdirSync(join(dir, sub));
  writeFileSync(
    join(dir, 'am', 'final.mdl'),
    Buffer.from('\0B<TransitionModel> not really a model'),
  );
  writeFileSync(join(dir, 'conf', 'mfcc.conf'), '--sample-frequency=16000\n--use-energy=false\n');
  writeFileSync(join(dir, 'conf', 'model.conf'), '--min-active=200\n--max-active=3000\n');
  writeFileSync(join(dir, 'graph', 'HCLr.fst'), Buffer.alloc(64, 7));
  writeFileSync(join(dir, 'graph', 'Gr.fst'), Buffer.alloc(64, 9));
  return dir;
}

/**
 * A copy of a real model with am/final.mdl cut to a fraction of its size, as an interrupted copy
 * leaves it. The other folders are symlinked: only the acoustic model is damaged.
 */
function truncatedCopy(modelPath: string, fraction: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-truncated-model-'));
  for (const entry of readdirSync(modelPath)) {
    if (entry !== 'am') symlinkSync(join(modelPath, entry), join(dir, entry));
  }
  mkdirSync(join(dir, 'am'));
  const target = join(dir, 'am', 'final.mdl');
  copyFileSync(join(modelPath, 'am', 'final.mdl'), target);
  truncateSync(target, Math.floor(statSync(target).size * fraction));
  return dir;
}

const scenarios: Record<string, () => Promise<void>> = {
  async load() {
    const lib = loadLibVosk(libraryPath);
    lib.fns.setLogLevel(-1);
    report({
      loaded: true,
      sameInstance: loadLibVosk(libraryPath) === lib,
      version: libvoskVersion(libraryPath),
      runtimeGrammar: lib.fns.setGrammar !== null,
      endpointer: lib.fns.setEndpointerDelays !== null,
    });
  },
  async 'library-errors'() {
    report({ case: 'missing', ...(await errorOf(() => loadLibVosk('/nonexistent/libvosk.so'))) });
    const notElf = join(mkdtempSync(join(tmpdir(), 'linekeeper-lib-')), 'libvosk.so');
    writeFileSync(notElf, 'this is not a shared library');
    report({ case: 'not-elf', ...(await errorOf(() => loadLibVosk(notElf))) });
  },
  async 'model-errors'() {
    const model = (path: string) => new VoskModel({ libraryPath, modelPath: path });
    report({ case: 'missing', ...(await errorOf(() => model('/nonexistent/model').load())) });
    const file = join(mkdtempSync(join(tmpdir(), 'linekeeper-model-')), 'model.zip');
    writeFileSync(file, 'PK');
    report({ case: 'file', ...(await errorOf(() => model(file).load())) });
    const empty = mkdtempSync(join(tmpdir(), 'linekeeper-empty-model-'));
    report({ case: 'incomplete', ...(await errorOf(() => model(empty).load())) });
    // Files in place but garbage inside: only libvosk itself can tell, and it must say NULL.
    const corrupt = model(corruptModel());
    report({ case: 'corrupt', ...(await errorOf(() => corrupt.load())), loaded: corrupt.loaded });
    // Raw C API on a bad path: NULL, not a crash.
    const lib = loadLibVosk(libraryPath);
    report({ case: 'raw-null', handle: await lib.fns.modelNew('/nonexistent/model') });
  },
  async 'handle-guards'() {
    const lib = loadLibVosk(libraryPath);
    const unloaded = new VoskModel({ libraryPath, modelPath: '/nonexistent/model' });
    report({
      case: 'decoder-before-load',
      ...(await errorOf(() => unloaded.createDecoder({ sampleRate: 16000 }))),
    });
    report({ case: 'find-word-before-load', ...(await errorOf(() => unloaded.knowsWord('yes'))) });
    await unloaded.free();
    await unloaded.free();
    report({ case: 'double-free-unloaded', ok: true });
    // The decoder refuses a wrong rate before any native call. The model handle here is a
    // dummy that the constructor must never pass to libvosk.
    const directory = { path: '/m', sampleRate: 16000, supportsGrammar: true };
    const dummy = {};
    for (const rate of [8000, 44100, 0, Number.NaN, 16000.5]) {
      report({
        case: `rate-${rate}`,
        ...(await errorOf(
          () => new VoskDecoder(lib.fns, dummy, directory, { sampleRate: rate }, () => {}),
        )),
      });
    }
    const decoder = new VoskDecoder(lib.fns, dummy, directory, { sampleRate: 16000 }, () => {});
    await decoder.free();
    report({
      case: 'accept-after-free',
      ...(await errorOf(() => decoder.accept(new Int16Array(160)))),
    });
    report({ case: 'result-after-free', ...(await errorOf(() => decoder.finalResult())) });
    report({ case: 'grammar-after-free', ...(await errorOf(() => decoder.setGrammar(['yes']))) });
    await decoder.free();
    report({ case: 'double-free-decoder', ok: true });
    report({
      case: 'bad-grammar',
      ...(await errorOf(
        () =>
          new VoskDecoder(lib.fns, dummy, directory, { sampleRate: 16000, grammar: [] }, () => {}),
      )),
    });
  },
  async repeat() {
    const rounds = Number(args[0] ?? 50);
    const lib = loadLibVosk(libraryPath);
    lib.fns.setLogLevel(-1);
    const corrupt = corruptModel();
    let nulls = 0;
    let typed = 0;
    for (let i = 0; i < rounds; i++) {
      if ((await lib.fns.modelNew(i % 2 ? corrupt : '/nonexistent/model')) === null) nulls++;
      const model = new VoskModel({ libraryPath, modelPath: corrupt });
      const outcome = await errorOf(() => model.load());
      if (outcome.code === 'VOSK_MODEL_REJECTED') typed++;
      await model.free();
    }
    // Concurrent loads on koffi's worker threads.
    const parallel = await Promise.all(Array.from({ length: 8 }, () => lib.fns.modelNew(corrupt)));
    report({ rounds, nulls, typed, parallelNulls: parallel.filter((h) => h === null).length });
  },
  async 'crash-canary'() {
    // Deliberately what the wrappers prevent: NULL into libvosk. The test expects a signal here,
    // which proves a real crash would be reported rather than missed.
    const lib = loadLibVosk(libraryPath);
    report({ calling: 'vosk_recognizer_new(NULL)' });
    const handle = await lib.fns.recognizerNew(null as unknown as object, 16000);
    if (handle) await lib.fns.acceptWaveform(handle, new Int16Array(16000));
    report({ survived: true });
  },
  async 'real-model'() {
    const modelPath = process.env.LINEKEEPER_VOSK_MODEL ?? '';
    const model = new VoskModel({ libraryPath, modelPath });
    await model.load();
    report({
      case: 'loaded',
      rate: model.directory.sampleRate,
      grammar: model.directory.supportsGrammar,
    });
    report({ case: 'knows', yes: model.knowsWord('yes'), nonsense: model.knowsWord('qzxv') });
    report({
      case: 'wrong-rate',
      ...(await errorOf(() => model.createDecoder({ sampleRate: 8000 }))),
    });
    for (let i = 0; i < Number(args[0] ?? 30); i++) {
      const d = model.createDecoder({
        sampleRate: model.directory.sampleRate,
        grammar: ['yes', 'no', '[unk]'],
      });
      await d.accept(new Int16Array(1600));
      await d.setGrammar(['one', 'two', '[unk]']);
      await d.finalResult();
      await d.free();
    }
    report({ case: 'cycles-done' });
    // An interrupted copy: libvosk must say NULL (a typed error here), not abort the process.
    for (const fraction of [0.5, 0.01]) {
      const damaged = new VoskModel({ libraryPath, modelPath: truncatedCopy(modelPath, fraction) });
      report({
        case: `truncated-${fraction}`,
        ...(await errorOf(() => damaged.load())),
        loaded: damaged.loaded,
      });
    }
    await model.free();
    await model.free();
    report({ case: 'freed' });
  },
};

const run = scenarios[scenario];
if (!run) {
  report({ error: `unknown scenario ${scenario}` });
  process.exitCode = 2;
} else {
  await run();
  report({ done: scenario });
}
