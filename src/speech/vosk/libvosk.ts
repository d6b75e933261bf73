import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import koffi from 'koffi';
import { VoskLibraryError } from './vosk-errors.js';

/** An opaque native pointer as koffi hands it out; `null` is C's NULL. */
export type NativeHandle = object;

type AsyncFn<A extends unknown[], R> = ((...args: A) => R) & {
  async: (...args: unknown[]) => void;
};

/**
 * The raw libvosk C API. Every function here trusts its arguments: callers (VoskModel,
 * VoskDecoder) must never pass a NULL or freed handle, because libvosk dereferences it and the
 * whole process dies (`vosk_recognizer_new(NULL, ...)` segfaults in every release we know).
 */
export interface LibVoskFunctions {
  setLogLevel(level: number): void;
  modelNew(path: string): Promise<NativeHandle | null>;
  modelFree(model: NativeHandle): void;
  modelFindWord(model: NativeHandle, word: string): number;
  recognizerNew(model: NativeHandle, sampleRate: number): Promise<NativeHandle | null>;
  recognizerNewGrm(
    model: NativeHandle,
    sampleRate: number,
    grammarJson: string,
  ): Promise<NativeHandle | null>;
  recognizerSetWords(recognizer: NativeHandle, on: boolean): void;
  recognizerSetPartialWords(recognizer: NativeHandle, on: boolean): void;
  recognizerSetMaxAlternatives(recognizer: NativeHandle, n: number): void;
  /** 1: an utterance ended (endpointer); 0: still decoding; -1: libvosk caught an exception. */
  acceptWaveform(recognizer: NativeHandle, samples: Int16Array): Promise<number>;
  result(recognizer: NativeHandle): Promise<string>;
  partialResult(recognizer: NativeHandle): Promise<string>;
  finalResult(recognizer: NativeHandle): Promise<string>;
  reset(recognizer: NativeHandle): void;
  recognizerFree(recognizer: NativeHandle): void;
  /** libvosk >= 0.3.42 only; null when this build lacks it. */
  setGrammar: ((recognizer: NativeHandle, grammarJson: string) => void) | null;
  /** libvosk >= 0.3.45 only: mode 0 default, 1 short, 2 long, 3 very long answers. */
  setEndpointerMode: ((recognizer: NativeHandle, mode: number) => void) | null;
  /** libvosk >= 0.3.45 only: seconds (start timeout, trailing silence, max utterance). */
  setEndpointerDelays:
    | ((recognizer: NativeHandle, startMax: number, end: number, max: number) => void)
    | null;
}

export interface LibVosk {
  readonly path: string;
  readonly fns: LibVoskFunctions;
}

const loaded = new Map<string, LibVosk>();

/**
 * Loads libvosk once per path. The decoding calls (model load, recogniser creation, accept,
 * results) go through koffi's async worker threads so the event loop never waits on Kaldi;
 * quick setters stay synchronous.
 */
export function loadLibVosk(path: string): LibVosk {
  const cached = loaded.get(path);
  if (cached) return cached;
  if (!existsSync(path)) throw new VoskLibraryError(path, 'the file does not exist');
  let lib: koffi.IKoffiLib;
  try {
    lib = koffi.load(path);
  } catch (error) {
    throw new VoskLibraryError(
      path,
      `it cannot be loaded (${(error as Error).message}); it may be for another CPU architecture or be damaged`,
      { cause: error },
    );
  }
  const fns = bind(lib, path);
  const entry = { path, fns };
  loaded.set(path, entry);
  return entry;
}

let typesDeclared = false;

/** koffi type names are process-global: declare them once, whichever library loads first. */
function declareTypes(): void {
  if (typesDeclared) return;
  // Opaque types make koffi refuse a pointer of the wrong kind (a model where a recogniser goes).
  koffi.alias('VoskModelPtr', koffi.pointer(koffi.opaque('VoskModel')));
  koffi.alias('VoskRecognizerPtr', koffi.pointer(koffi.opaque('VoskRecognizer')));
  typesDeclared = true;
}

function bind(lib: koffi.IKoffiLib, path: string): LibVoskFunctions {
  const required = <A extends unknown[], R>(decl: string): AsyncFn<A, R> => {
    try {
      return lib.func(decl) as AsyncFn<A, R>;
    } catch (error) {
      throw new VoskLibraryError(path, `it lacks a required function (${decl})`, { cause: error });
    }
  };
  const optional = <A extends unknown[], R>(decl: string): AsyncFn<A, R> | null => {
    try {
      return lib.func(decl) as AsyncFn<A, R>;
    } catch {
      return null;
    }
  };
  declareTypes();

  const modelNew = required<[string], NativeHandle | null>(
    'VoskModelPtr vosk_model_new(const char *path)',
  );
  const recognizerNew = required<[NativeHandle, number], NativeHandle | null>(
    'VoskRecognizerPtr vosk_recognizer_new(VoskModelPtr model, float rate)',
  );
  const recognizerNewGrm = required<[NativeHandle, number, string], NativeHandle | null>(
    'VoskRecognizerPtr vosk_recognizer_new_grm(VoskModelPtr model, float rate, const char *grammar)',
  );
  const accept = required<[NativeHandle, Int16Array, number], number>(
    'int vosk_recognizer_accept_waveform_s(VoskRecognizerPtr r, const int16_t *data, int length)',
  );
  const result = required<[NativeHandle], string>(
    'const char *vosk_recognizer_result(VoskRecognizerPtr r)',
  );
  const finalResult = required<[NativeHandle], string>(
    'const char *vosk_recognizer_final_result(VoskRecognizerPtr r)',
  );
  const setGrm = optional<[NativeHandle, string], void>(
    'void vosk_recognizer_set_grm(VoskRecognizerPtr r, const char *grammar)',
  );
  const setEpMode = optional<[NativeHandle, number], void>(
    'void vosk_recognizer_set_endpointer_mode(VoskRecognizerPtr r, int mode)',
  );
  const setEpDelays = optional<[NativeHandle, number, number, number], void>(
    'void vosk_recognizer_set_endpointer_delays(VoskRecognizerPtr r, float t_start_max, float t_end, float t_max)',
  );
  const modelFree = required<[NativeHandle], void>('void vosk_model_free(VoskModelPtr model)');
  const findWord = required<[NativeHandle, string], number>(
    'int vosk_model_find_word(VoskModelPtr model, const char *word)',
  );
  const setLog = required<[number], void>('void vosk_set_log_level(int level)');
  const setWords = required<[NativeHandle, number], void>(
    'void vosk_recognizer_set_words(VoskRecognizerPtr r, int on)',
  );
  const setPartialWords = required<[NativeHandle, number], void>(
    'void vosk_recognizer_set_partial_words(VoskRecognizerPtr r, int on)',
  );
  const setAlternatives = required<[NativeHandle, number], void>(
    'void vosk_recognizer_set_max_alternatives(VoskRecognizerPtr r, int n)',
  );
  const partial = required<[NativeHandle], string>(
    'const char *vosk_recognizer_partial_result(VoskRecognizerPtr r)',
  );
  const reset = required<[NativeHandle], void>('void vosk_recognizer_reset(VoskRecognizerPtr r)');
  const recFree = required<[NativeHandle], void>('void vosk_recognizer_free(VoskRecognizerPtr r)');

  const modelNewAsync = promisify(modelNew.async) as (p: string) => Promise<NativeHandle | null>;
  const recNewAsync = promisify(recognizerNew.async) as (
    m: NativeHandle,
    r: number,
  ) => Promise<NativeHandle | null>;
  const recNewGrmAsync = promisify(recognizerNewGrm.async) as (
    m: NativeHandle,
    r: number,
    g: string,
  ) => Promise<NativeHandle | null>;
  const acceptAsync = promisify(accept.async) as (
    r: NativeHandle,
    d: Int16Array,
    n: number,
  ) => Promise<number>;
  const resultAsync = promisify(result.async) as (r: NativeHandle) => Promise<string>;
  const partialAsync = promisify(partial.async) as (r: NativeHandle) => Promise<string>;
  const finalAsync = promisify(finalResult.async) as (r: NativeHandle) => Promise<string>;

  return {
    setLogLevel: (level) => setLog(level),
    modelNew: (p) => modelNewAsync(p),
    modelFree: (m) => modelFree(m),
    modelFindWord: (m, w) => findWord(m, w),
    recognizerNew: (m, r) => recNewAsync(m, r),
    recognizerNewGrm: (m, r, g) => recNewGrmAsync(m, r, g),
    recognizerSetWords: (r, on) => setWords(r, on ? 1 : 0),
    recognizerSetPartialWords: (r, on) => setPartialWords(r, on ? 1 : 0),
    recognizerSetMaxAlternatives: (r, n) => setAlternatives(r, n),
    acceptWaveform: (r, samples) => acceptAsync(r, samples, samples.length),
    result: (r) => resultAsync(r),
    partialResult: (r) => partialAsync(r),
    finalResult: (r) => finalAsync(r),
    reset: (r) => reset(r),
    recognizerFree: (r) => recFree(r),
    setGrammar: setGrm ? (r, g) => setGrm(r, g) : null,
    setEndpointerMode: setEpMode ? (r, m) => setEpMode(r, m) : null,
    setEndpointerDelays: setEpDelays ? (r, a, b, c) => setEpDelays(r, a, b, c) : null,
  };
}
