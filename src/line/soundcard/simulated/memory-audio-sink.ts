import { LinekeeperError } from '../../../shared/errors.js';
import { TypedEmitter } from '../../../shared/typed-emitter.js';
import type { AudioSink, AudioSinkEvents } from '../audio-ports.js';

/** Playback into memory: what the caller would have heard, call by call. */
export class MemoryAudioSink implements AudioSink {
  readonly kind = 'memory';
  readonly events = new TypedEmitter<AudioSinkEvents>();
  /** One entry per start()..stop(): the samples written during that call. */
  readonly sessions: Int16Array[][] = [];
  #open = false;
  #total = 0;

  get open(): boolean {
    return this.#open;
  }

  /** Samples written since the sink was created, over all calls. */
  get totalWritten(): number {
    return this.#total;
  }

  async start(): Promise<void> {
    this.#open = true;
    this.sessions.push([]);
  }

  write(samples: Int16Array): void {
    if (!this.#open) return;
    this.sessions.at(-1)!.push(samples.slice());
    this.#total += samples.length;
  }

  async stop(): Promise<void> {
    this.#open = false;
  }

  /** Everything written during call `index` (default the latest), as one array. */
  played(index = this.sessions.length - 1): Int16Array {
    const parts = this.sessions[index] ?? [];
    const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** The playback device disappears (tests of the line's reaction). */
  fail(message = 'simulated playback failure'): void {
    this.events.emit('error', { error: new LinekeeperError('SOUNDCARD_PLAYBACK_FAILED', message) });
  }
}
