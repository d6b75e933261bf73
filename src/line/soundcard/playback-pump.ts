import type { Clock } from '../../shared/timer-clock.js';
import type { AudioSink } from './audio-ports.js';

interface Playing {
  samples: Int16Array;
  offset: number;
  /** Stream position just after its last sample, once all of it has been written. */
  endsAt: number | undefined;
  resolve: (outcome: 'completed' | 'stopped') => void;
}

export interface PlaybackPumpOptions {
  clock: Clock;
  sink: AudioSink;
  sampleRate: number;
  frameMs: number;
  leadMs: number;
}

/**
 * Feeds the sound card for the whole call, one frame per tick, `leadMs` ahead of real time:
 * prompt audio while a prompt plays, silence otherwise, so the device never underruns and a
 * barge-in only has to stop taking prompt samples. What was already written (at most the
 * lead) still plays; nothing after it does.
 */
export class PlaybackPump {
  readonly #o: PlaybackPumpOptions;
  readonly #frame: number;
  #t0 = 0;
  #written = 0;
  #timer: unknown;
  #running = false;
  #playing: Playing | undefined;

  constructor(options: PlaybackPumpOptions) {
    this.#o = options;
    this.#frame = Math.round((options.sampleRate * options.frameMs) / 1000);
  }

  /** Samples handed to the sink so far: the position of the next one in the played stream. */
  get written(): number {
    return this.#written;
  }

  get busy(): boolean {
    return this.#playing !== undefined;
  }

  start(): void {
    this.#running = true;
    this.#t0 = this.#o.clock.now();
    this.#written = 0;
    this.#tick();
  }

  /** Stops at once; a prompt still playing resolves 'stopped'. */
  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.cut();
  }

  /** Resolves 'completed' once the last sample has been played (by the clock), else 'stopped'. */
  play(samples: Int16Array): Promise<'completed' | 'stopped'> {
    this.cut();
    if (!this.#running) return Promise.resolve('stopped');
    return new Promise((resolve) => {
      this.#playing = { samples, offset: 0, endsAt: undefined, resolve };
      // Start with the next tick's frame: what is already written stays in order.
    });
  }

  /** Barge-in: no more samples of the current prompt are written. */
  cut(): void {
    const playing = this.#playing;
    this.#playing = undefined;
    playing?.resolve('stopped');
  }

  #tick(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    const { clock, sampleRate, leadMs, frameMs } = this.#o;
    const elapsed = clock.now() - this.#t0;
    const due = Math.round(((elapsed + leadMs) * sampleRate) / 1000);
    while (this.#written < due) this.#writeFrame();
    const playing = this.#playing;
    if (playing?.endsAt !== undefined && (elapsed * sampleRate) / 1000 >= playing.endsAt) {
      this.#playing = undefined;
      playing.resolve('completed');
    }
    if (this.#running) this.#timer = clock.setTimeout(() => this.#tick(), frameMs);
  }

  #writeFrame(): void {
    const frame = new Int16Array(this.#frame);
    const playing = this.#playing;
    if (playing && playing.endsAt === undefined) {
      const take = Math.min(this.#frame, playing.samples.length - playing.offset);
      frame.set(playing.samples.subarray(playing.offset, playing.offset + take));
      playing.offset += take;
      if (playing.offset >= playing.samples.length) playing.endsAt = this.#written + take;
    }
    this.#written += this.#frame;
    this.#o.sink.write(frame);
  }
}
