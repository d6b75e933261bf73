import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import type { AudioSource, AudioSourceEvents } from './audio-ports.js';
import { SoundcardDeviceError } from './soundcard-errors.js';

/** The part of node-record-lpcm16 (CommonJS, no types) that we use. */
interface Recording {
  process: ChildProcess;
  stream(): Readable;
  stop(): void;
}
type RecordFn = (options: Record<string, unknown>) => Recording;

export interface ArecordSourceOptions {
  /** ALSA capture device, e.g. `plughw:CARD=Device,DEV=0`; `default` when not set. */
  device: string;
  /** Capture must deliver its first audio within this long, or start() fails. */
  startTimeoutMs?: number;
}

/**
 * Line audio from the sound card through `arecord` (spawned by node-record-lpcm16): 8 kHz,
 * mono, signed 16-bit little-endian raw. The library's child process is watched for `error`
 * (arecord missing) and early exit, which it would otherwise throw from an unhandled event and
 * take the whole appliance down.
 */
export class ArecordAudioSource implements AudioSource {
  readonly kind = 'arecord';
  readonly sampleRate = 8000;
  readonly events = new TypedEmitter<AudioSourceEvents>();
  readonly #options: ArecordSourceOptions;
  #recording: Recording | undefined;
  #carry: number | undefined;

  constructor(options: ArecordSourceOptions) {
    this.#options = options;
  }

  start(): Promise<void> {
    const device = this.#options.device;
    const record = (createRequire(import.meta.url)('node-record-lpcm16') as { record: RecordFn })
      .record;
    const failure = (problem: string, cause?: unknown) =>
      new SoundcardDeviceError('capture', 'arecord', device, problem, { cause });
    return new Promise<void>((resolve, reject) => {
      let started = false;
      const fail = (error: SoundcardDeviceError) => {
        this.#recording = undefined;
        if (!started) {
          started = true;
          clearTimeout(timer);
          reject(error);
        } else {
          this.events.emit('error', { error });
        }
      };
      let recording: Recording;
      try {
        recording = record({
          sampleRate: this.sampleRate,
          channels: 1,
          recorder: 'arecord',
          audioType: 'raw',
          device,
        });
      } catch (error) {
        reject(failure(String(error), error));
        return;
      }
      this.#recording = recording;
      this.#carry = undefined;
      const timer = setTimeout(
        () => fail(failure(`no audio within ${this.#options.startTimeoutMs ?? 3000} ms`)),
        this.#options.startTimeoutMs ?? 3000,
      );
      recording.process.on('error', (error: NodeJS.ErrnoException) =>
        fail(
          failure(error.code === 'ENOENT' ? 'arecord not found (ENOENT)' : String(error), error),
        ),
      );
      const stderr: string[] = [];
      recording.process.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
      recording.process.on('exit', (code, signal) => {
        if (this.#recording !== recording) return;
        const text = stderr.join('').trim().split('\n').at(-1) ?? '';
        fail(failure(`arecord exited (${signal ?? `code ${code}`})${text ? `: ${text}` : ''}`));
      });
      const stream = recording.stream();
      // The library re-emits a non-zero exit as a stream 'error' with a string; the exit
      // handler above has already reported it.
      stream.on('error', () => {});
      stream.on('data', (chunk: Buffer) => {
        if (!started) {
          started = true;
          clearTimeout(timer);
          resolve();
        }
        const samples = this.#toSamples(chunk);
        if (samples.length > 0) this.events.emit('frame', samples);
      });
    });
  }

  async stop(): Promise<void> {
    const recording = this.#recording;
    this.#recording = undefined;
    if (!recording) return;
    await new Promise<void>((resolve) => {
      if (recording.process.exitCode !== null || recording.process.signalCode !== null) {
        resolve();
        return;
      }
      recording.process.once('exit', () => resolve());
      try {
        recording.stop();
      } catch {
        resolve();
      }
    });
  }

  /** Chunks split anywhere, even inside a sample: carry the odd byte to the next chunk. */
  #toSamples(chunk: Buffer): Int16Array {
    let bytes: Buffer = chunk;
    if (this.#carry !== undefined) {
      bytes = Buffer.concat([Buffer.from([this.#carry]), chunk]);
      this.#carry = undefined;
    }
    if (bytes.length % 2 === 1) {
      this.#carry = bytes[bytes.length - 1];
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    const out = new Int16Array(bytes.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(2 * i);
    return out;
  }
}
