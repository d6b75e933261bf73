import type { LinekeeperError } from '../../shared/errors.js';
import type { TypedEmitter } from '../../shared/typed-emitter.js';

export interface AudioSourceEvents {
  /** 16-bit mono samples at `sampleRate`, in arrival order, any length. */
  frame: Int16Array;
  /** Capture stopped on its own (device unplugged, arecord killed); the line goes down. */
  error: { error: LinekeeperError };
}

/** Where received line audio comes from: the sound card's capture side, or a test script. */
export interface AudioSource {
  readonly kind: string;
  readonly sampleRate: number;
  readonly events: TypedEmitter<AudioSourceEvents>;
  /** Resolves when capture runs; rejects with a typed error saying what to fix. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface AudioSinkEvents {
  error: { error: LinekeeperError };
}

/**
 * Where audio for the caller goes: the sound card's playback side, or memory in tests. The
 * line paces writes in real time a little ahead of the device, so `write` never blocks and a
 * barge-in only has to stop writing.
 */
export interface AudioSink {
  readonly kind: string;
  readonly events: TypedEmitter<AudioSinkEvents>;
  /** Opens playback for one call. */
  start(): Promise<void>;
  write(samples: Int16Array): void;
  /** Closes playback; safe to call when not started. */
  stop(): Promise<void>;
}
