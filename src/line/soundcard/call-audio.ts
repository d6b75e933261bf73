import {
  CallProgressDetector,
  type CallProgressEvent,
} from '../../audio/call-progress-detector.js';
import type { Country } from '../../audio/call-progress-presets.js';
import { type DtmfEvent, DtmfReceiver } from '../../audio/dtmf-receiver.js';
import { powerToDbm0 } from '../../audio/levels.js';

export interface CallAudioCallbacks {
  /** A key went down (sent at once, so barge-in does not wait for the release). */
  keyDown: (digit: string, startMs: number) => void;
  tone: (event: CallProgressEvent) => void;
  /** Unbroken silence reached the configured limit. */
  silence: (ms: number) => void;
}

/**
 * The receive side of one call: DTMF keys, call-progress tones (the far end hung up and the
 * exchange says so) and long silence, all from the captured samples. Times are ms since the
 * call was answered, on the sample clock.
 */
export class CallAudio {
  readonly #dtmf = new DtmfReceiver();
  #progress: CallProgressDetector;
  readonly #country: Country;
  readonly #callbacks: CallAudioCallbacks;
  readonly #silenceDbm0: number;
  readonly #silenceLimitMs: number;
  #samples = 0;
  #silentMs = 0;
  #silenceReported = false;
  /** While we dial, our own tones echo back: they are not the caller's keys. */
  keysMuted = false;

  constructor(
    country: Country,
    silence: { dbm0: number; limitMs: number },
    callbacks: CallAudioCallbacks,
  ) {
    this.#country = country;
    this.#progress = new CallProgressDetector(country);
    this.#callbacks = callbacks;
    this.#silenceDbm0 = silence.dbm0;
    this.#silenceLimitMs = silence.limitMs;
  }

  get elapsedMs(): number {
    return (this.#samples * 1000) / 8000;
  }

  /** A new phase (after a hook flash) starts with no half-seen tone cadence. */
  restartToneDetection(): void {
    this.#progress = new CallProgressDetector(this.#country);
  }

  process(samples: Int16Array): void {
    this.#samples += samples.length;
    this.#dtmf.process(samples, (event: DtmfEvent) => {
      if (event.kind === 'press' && !this.keysMuted)
        this.#callbacks.keyDown(event.digit, event.startMs);
    });
    this.#progress.process(samples, (event) => this.#callbacks.tone(event));
    let power = 0;
    for (let i = 0; i < samples.length; i++) power += samples[i]! * samples[i]!;
    const quiet = powerToDbm0(power / Math.max(1, samples.length)) < this.#silenceDbm0;
    this.#silentMs = quiet ? this.#silentMs + (samples.length * 1000) / 8000 : 0;
    if (!quiet) this.#silenceReported = false;
    if (
      this.#silenceLimitMs > 0 &&
      this.#silentMs >= this.#silenceLimitMs &&
      !this.#silenceReported
    ) {
      this.#silenceReported = true;
      this.#callbacks.silence(this.#silentMs);
    }
  }
}
