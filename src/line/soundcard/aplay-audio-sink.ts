import { type ChildProcess, spawn } from 'node:child_process';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import type { AudioSink, AudioSinkEvents } from './audio-ports.js';
import { SoundcardDeviceError } from './soundcard-errors.js';

export interface AplaySinkOptions {
  /** ALSA playback device, e.g. `plughw:CARD=Device,DEV=0`; `default` when not set. */
  device: string;
  /** ALSA buffer; the line keeps only its play lead in it, this is headroom for jitter. */
  bufferMs?: number;
  /** Environment for aplay (tests point ALSA_CONFIG_PATH at a file-plugin device). */
  env?: NodeJS.ProcessEnv;
  program?: string;
}

/** Playback to the sound card through a spawned `aplay` reading raw 8 kHz s16le on stdin. */
export class AplayAudioSink implements AudioSink {
  readonly kind = 'aplay';
  readonly events = new TypedEmitter<AudioSinkEvents>();
  readonly #options: AplaySinkOptions;
  #child: ChildProcess | undefined;

  constructor(options: AplaySinkOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    if (this.#child) return;
    const program = this.#options.program ?? 'aplay';
    const device = this.#options.device;
    const args = ['-q', '-D', device, '-t', 'raw', '-f', 'S16_LE', '-r', '8000', '-c', '1'];
    args.push(`--buffer-time=${(this.#options.bufferMs ?? 200) * 1000}`, '-');
    const child = spawn(program, args, {
      stdio: ['pipe', 'ignore', 'pipe'],
      ...(this.#options.env ? { env: this.#options.env } : {}),
    });
    this.#child = child;
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const report = (problem: string, cause?: unknown) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      this.events.emit('error', {
        error: new SoundcardDeviceError('playback', program, device, problem, { cause }),
      });
    };
    // EPIPE when aplay died: the exit handler reports why.
    child.stdin?.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (error: NodeJS.ErrnoException) => {
        const problem = error.code === 'ENOENT' ? `${program} not found (ENOENT)` : String(error);
        if (this.#child === child) this.#child = undefined;
        reject(new SoundcardDeviceError('playback', program, device, problem, { cause: error }));
      });
    });
    child.on('error', (error) => report(String(error), error));
    child.on('exit', (code, signal) => {
      const text = stderr.join('').trim().split('\n').at(-1) ?? '';
      report(`${program} exited (${signal ?? `code ${code}`})${text ? `: ${text}` : ''}`);
    });
  }

  write(samples: Int16Array): void {
    const stdin = this.#child?.stdin;
    if (!stdin || stdin.destroyed) return;
    stdin.write(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  }

  /** Lets aplay play what it has, then waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGTERM'), 1000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.stdin?.end();
    });
  }
}
