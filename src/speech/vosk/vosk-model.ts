import { type LibVosk, loadLibVosk, type NativeHandle } from './libvosk.js';
import { libvoskVersion } from './libvosk-location.js';
import { inspectModelDirectory, type ModelDirectory } from './model-directory.js';
import { VoskDecoder, type VoskDecoderOptions } from './vosk-decoder.js';
import { VoskModelError, VoskRecognizerError } from './vosk-errors.js';

export interface VoskModelOptions {
  libraryPath: string;
  modelPath: string;
  /** Kaldi's log level: -1 errors only (default), 0 info. */
  logLevel?: number;
}

/**
 * One loaded model, shared by every call's recogniser. Loading takes seconds and ~100 MB, so it
 * happens once, off the main thread, at start().
 */
export class VoskModel {
  readonly #options: VoskModelOptions;
  #lib: LibVosk | null = null;
  #handle: NativeHandle | null = null;
  #directory: ModelDirectory | null = null;
  readonly #decoders = new Set<VoskDecoder>();

  constructor(options: VoskModelOptions) {
    this.#options = options;
  }

  get directory(): ModelDirectory {
    if (!this.#directory) throw notLoaded();
    return this.#directory;
  }

  get libraryVersion(): string | null {
    return libvoskVersion(this.#options.libraryPath);
  }

  get loaded(): boolean {
    return this.#handle !== null;
  }

  /** Capabilities of this libvosk build (0.3.39 from npm lacks runtime grammars and endpointer). */
  get features() {
    const fns = this.#lib?.fns;
    return {
      runtimeGrammar: Boolean(fns?.setGrammar),
      endpointerSettings: Boolean(fns?.setEndpointerDelays && fns?.setEndpointerMode),
    };
  }

  async load(): Promise<void> {
    if (this.#handle) return;
    const lib = loadLibVosk(this.#options.libraryPath);
    const directory = inspectModelDirectory(this.#options.modelPath);
    lib.fns.setLogLevel(this.#options.logLevel ?? -1);
    const handle = await lib.fns.modelNew(directory.path);
    if (!handle) {
      throw new VoskModelError(
        'VOSK_MODEL_REJECTED',
        directory.path,
        "libvosk could not load it although the expected files are there (damaged or from an incompatible Vosk version; the journal has Kaldi's reason)",
      );
    }
    this.#lib = lib;
    this.#handle = handle;
    this.#directory = directory;
  }

  /** True when the model's vocabulary has this word; grammar words outside it come back [unk]. */
  knowsWord(word: string): boolean {
    const { lib, handle } = this.#live();
    return lib.fns.modelFindWord(handle, word) >= 0;
  }

  createDecoder(options: VoskDecoderOptions): VoskDecoder {
    const { lib, handle } = this.#live();
    const decoder = new VoskDecoder(lib.fns, handle, this.directory, options, () =>
      this.#decoders.delete(decoder),
    );
    this.#decoders.add(decoder);
    return decoder;
  }

  /** Frees every recogniser (after its queued work) and then the model. Safe to call twice. */
  async free(): Promise<void> {
    const handle = this.#handle;
    if (!handle || !this.#lib) return;
    this.#handle = null;
    await Promise.all([...this.#decoders].map((d) => d.free()));
    this.#lib.fns.modelFree(handle);
  }

  #live(): { lib: LibVosk; handle: NativeHandle } {
    if (!this.#lib || !this.#handle) throw notLoaded();
    return { lib: this.#lib, handle: this.#handle };
  }
}

function notLoaded(): VoskRecognizerError {
  return new VoskRecognizerError(
    'VOSK_HANDLE_FREED',
    'the speech model is not loaded (start() was not called, failed, or the model was freed)',
  );
}
