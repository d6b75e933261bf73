import { buildMdmf, type CallerIdFields } from '../../../../src/callerid/caller-id-message.js';
import { renderCallerIdFsk } from '../../../../src/callerid/fsk-modulator.js';
import type { FskStandardName } from '../../../../src/callerid/fsk-standards.js';
import type { LineEvents } from '../../../../src/line/line-port.js';
import { MemoryAudioSink } from '../../../../src/line/soundcard/simulated/memory-audio-sink.js';
import { ScriptedAudioSource } from '../../../../src/line/soundcard/simulated/scripted-audio-source.js';
import { SimulatedRingInput } from '../../../../src/line/soundcard/simulated/simulated-ring-input.js';
import { SoundcardLine } from '../../../../src/line/soundcard/soundcard-line.js';
import type { SoundcardOptions } from '../../../../src/line/soundcard/soundcard-options.js';
import { SimulatedRelays } from '../../../../src/relays/simulated/simulated-relays.js';
import type { Clock as SleepClock } from '../../../../src/shared/clock.js';
import { silentLogger } from '../../../../src/shared/logger.js';
import { ManualClock } from '../../modem/helpers/manual-clock.js';

type Recorded = {
  [K in keyof LineEvents]: { event: K; payload: LineEvents[K]; atMs: number };
}[keyof LineEvents];

/** The shared sleep-style clock (what SimulatedRelays uses) over the manual timer clock. */
export function sleepClock(clock: ManualClock): SleepClock {
  return {
    now: () => clock.now(),
    monotonicNow: () => clock.now(),
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        if (signal?.aborted) return resolve('aborted');
        const handle = clock.setTimeout(() => resolve('timeout'), ms);
        signal?.addEventListener('abort', () => {
          clock.clearTimeout(handle);
          resolve('aborted');
        });
      }),
  };
}

export interface RigOptions {
  options?: Partial<Omit<SoundcardOptions, 'ring'>>;
  echoLossDb?: number;
  logs?: string[];
}

/** A sound-card line with simulated ring input, hook relay, capture and playback on one clock. */
export class SoundcardRig {
  readonly clock = new ManualClock();
  readonly relays = new SimulatedRelays(sleepClock(this.clock));
  readonly ringInput = new SimulatedRingInput(this.clock);
  readonly sink = new MemoryAudioSink();
  readonly source: ScriptedAudioSource;
  readonly line: SoundcardLine;
  readonly recorded: Recorded[] = [];

  constructor(options: RigOptions = {}) {
    this.source = new ScriptedAudioSource(
      this.clock,
      options.echoLossDb === undefined
        ? {}
        : { echo: { sink: this.sink, lossDb: options.echoLossDb } },
    );
    const log = silentLogger();
    if (options.logs) {
      const logs = options.logs;
      log.warn = ((obj: unknown, msg?: string) => {
        logs.push(`${typeof obj === 'string' ? obj : (msg ?? '')} ${JSON.stringify(obj)}`);
      }) as typeof log.warn;
    }
    this.line = new SoundcardLine({
      options: options.options ?? {},
      source: this.source,
      sink: this.sink,
      ringInput: this.ringInput,
      relays: this.relays,
      log,
      clock: this.clock,
    });
    for (const event of ['ring', 'callerId', 'dtmf', 'hangup', 'state'] as const) {
      this.line.events.on(event, (payload) =>
        this.recorded.push({ event, payload, atMs: this.clock.now() } as Recorded),
      );
    }
  }

  events<K extends keyof LineEvents>(event: K): LineEvents[K][] {
    return this.recorded.filter((r) => r.event === event).map((r) => r.payload as LineEvents[K]);
  }

  async start(): Promise<void> {
    await this.line.start();
  }

  async stop(): Promise<void> {
    await this.line.stop();
  }

  /** Queues far-end audio `afterMs` from now. */
  sendAt(afterMs: number, samples: Int16Array): void {
    this.clock.setTimeout(() => this.source.send(samples), afterMs);
  }

  /** Advances the clock in frame steps until `done` or `limitMs` passes. */
  async until(done: () => boolean, limitMs: number): Promise<boolean> {
    const end = this.clock.now() + limitMs;
    while (!done() && this.clock.now() < end) await this.clock.advance(20);
    return done();
  }

  /** Runs a promise to completion on the manual clock. */
  async run<T>(work: Promise<T>, limitMs = 60000): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    await this.until(() => settled, limitMs);
    return work;
  }
}

export function callerIdAudio(
  fields: CallerIdFields,
  standard: FskStandardName,
  levelDbm0 = -13.5,
): Int16Array {
  return renderCallerIdFsk(buildMdmf(fields), { standard, levelDbm0 });
}

/** A 440 Hz + 660 Hz prompt (not DTMF, not a call-progress tone) of `ms` milliseconds. */
export function promptSamples(ms: number): Int16Array {
  const out = new Int16Array((8000 * ms) / 1000);
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round(
      3000 * Math.sin((2 * Math.PI * 440 * i) / 8000) +
        2000 * Math.sin((2 * Math.PI * 660 * i) / 8000),
    );
  return out;
}
