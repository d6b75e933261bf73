import { LinekeeperError } from '../../shared/errors.js';

/**
 * Everything that can go wrong on the Vosk path, as typed errors a technician can act on. None of
 * them is fatal to the appliance: without speech the menus still work by keys.
 */
export class VoskError extends LinekeeperError {}

/** libvosk.so is missing, for another architecture, or lacks the functions we need. */
export class VoskLibraryError extends VoskError {
  readonly path: string;

  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(
      'VOSK_LIBRARY_UNAVAILABLE',
      `libvosk at ${path}: ${problem}. Run scripts/fetch-libvosk.sh (or set LINEKEEPER_LIBVOSK to the library's path); until then speech is off and menus work by keys`,
      options,
    );
    this.path = path;
  }
}

/** The model directory is missing, incomplete or rejected by libvosk. */
export class VoskModelError extends VoskError {
  readonly modelPath: string;

  constructor(
    code: 'VOSK_MODEL_MISSING' | 'VOSK_MODEL_INCOMPLETE' | 'VOSK_MODEL_REJECTED',
    modelPath: string,
    problem: string,
  ) {
    super(
      code,
      `speech model at ${modelPath}: ${problem}. Install one with scripts/fetch-model en (or de, es) and set speech.modelPath; until then speech is off and menus work by keys`,
    );
    this.modelPath = modelPath;
  }
}

/** A recogniser could not be created or used (bad sample rate, grammar, decoder failure). */
export class VoskRecognizerError extends VoskError {
  constructor(
    code:
      | 'VOSK_SAMPLE_RATE'
      | 'VOSK_RECOGNIZER_CREATE'
      | 'VOSK_DECODE_FAILED'
      | 'VOSK_GRAMMAR_INVALID'
      | 'VOSK_HANDLE_FREED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
