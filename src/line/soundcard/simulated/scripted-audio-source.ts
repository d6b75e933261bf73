import { LinekeeperError } from '../../../shared/errors.js';
import type { Clock } from '../../../shared/timer-clock.js';
import { TypedEmitter } from '../../../shared/typed-emitter.js';
import type { AudioSource, AudioSourceEvents } from '../audio-ports.js';
import type { MemoryAudioSink } from './memory-audio-sink.js';

export interface ScriptedAudioSourceOptions {
  frameMs?: number;
  /**
   * Hybrid echo: what the line plays comes back this much weaker (dB), as through a real
   * line interface's 2-to-4-wire hybrid. Off when not given.
   */
  echo?: { sink: MemoryAudioSink; lossDb: number };
  /** Start fails with this error (a missing arecord, say). */
  failStart?: LinekeeperError;
}

/**
 * The far end of the line for tests and `linekeeper simulate`: delivers one frame per tick of
 * the line's clock, taking samples queued with `send` (a WAV file's, a key press, caller ID,
 * a busy tone) and silence in between, plus optional echo of what the line played.
 */
export class ScriptedAudioSource implements AudioSource {
  readonly kind = 'scripted';
  readonly sampleRate = 8000;
  readonly events = new TypedEmitter<AudioSourceEvents>();
  readonly #clock: Clock;
  readonly #frame: number;
  readonly #frameMs: number;
  readonly #options: ScriptedAudioSourceOptions;
  #queue: Int16Array[] = [];
  #timer: unknown;
  #running = false;
  #delivered = 0;
  #echoSession = -1;
  #echoPart = 0;
  #echoAt = 0;

  constructor(clock: Clock, options: ScriptedAudioSourceOptions = {}) {
    this.#clock = clock;
    this.#options = options;
    this.#frameMs = options.frameMs ?? 20;
    this.#frame = (this.sampleRate * this.#frameMs) / 1000;
  }

  /** Samples delivered since start: the capture stream position. */
  get delivered(): number {
    return this.#delivered;
  }

  /** Samples queued and not yet delivered. */
  get queued(): number {
    return this.#queue.reduce((n, q) => n + q.length, 0);
  }

  async start(): Promise<void> {
    if (this.#options.failStart) throw this.#options.failStart;
    this.#running = true;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Queues far-end audio to be delivered after whatever is queued already. */
  send(samples: Int16Array): void {
    this.#queue.push(samples);
  }

  /** Capture breaks down (device unplugged). */
  fail(message = 'simulated capture failure'): void {
    this.events.emit('error', { error: new LinekeeperError('SOUNDCARD_CAPTURE_FAILED', message) });
  }

  #schedule(): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (!this.#running) return;
      const frame = this.#nextFrame();
      this.#delivered += frame.length;
      this.#schedule();
      this.events.emit('frame', frame);
    }, this.#frameMs);
  }

  #nextFrame(): Int16Array {
    const frame = new Int16Array(this.#frame);
    let at = 0;
    while (at < frame.length && this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const take = Math.min(head.length, frame.length - at);
      frame.set(head.subarray(0, take), at);
      at += take;
      if (take === head.length) this.#queue.shift();
      else this.#queue[0] = head.subarray(take);
    }
    this.#addEcho(frame);
    return frame;
  }

  #addEcho(frame: Int16Array): void {
    const echo = this.#options.echo;
    if (!echo?.sink.open) return;
    const session = echo.sink.sessions.length - 1;
    if (session !== this.#echoSession) {
      this.#echoSession = session;
      this.#echoPart = 0;
      this.#echoAt = 0;
    }
    const parts = echo.sink.sessions[session] ?? [];
    const gain = 10 ** (-echo.lossDb / 20);
    for (let i = 0; i < frame.length && this.#echoPart < parts.length; i++) {
      const part = parts[this.#echoPart]!;
      const v = frame[i]! + part[this.#echoAt++]! * gain;
      frame[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
      if (this.#echoAt >= part.length) {
        this.#echoPart++;
        this.#echoAt = 0;
      }
    }
  }
}
