import type { CallProgressEvent } from '../../audio/call-progress-detector.js';
import { renderDtmf } from '../../audio/dtmf-generator.js';
import { Resampler } from '../../audio/resampler.js';
import type { DecodedCallerId } from '../../callerid/caller-id-decoder.js';
import { toLineCallerId } from '../../callerid/to-line-caller-id.js';
import type { RelayRole, Relays } from '../../relays/relays-port.js';
import { LinekeeperError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { type Clock, sleep, systemClock } from '../../shared/timer-clock.js';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import {
  type CallerId,
  type HangupCause,
  isDtmfDigit,
  type Line,
  type LineEvents,
  type LineState,
  type PlayOutcome,
  type Prompt,
  type TransferOutcome,
  type TransferRequest,
} from '../line-port.js';
import type { AudioSink, AudioSource } from './audio-ports.js';
import { CallAudio } from './call-audio.js';
import { CallerIdListener } from './caller-id-listener.js';
import { PlaybackPump } from './playback-pump.js';
import { RingDetector } from './ring-detector.js';
import type { RingInput } from './ring-input-port.js';
import { SoundcardError } from './soundcard-errors.js';
import { resolveSoundcardOptions, type SoundcardOptions } from './soundcard-options.js';

const RATE = 8000;
const HOOK: RelayRole = 'hook';

interface ActiveCall {
  ended: boolean;
  audio: CallAudio;
  pump: PlaybackPump;
  /** The prompt playing now may be cut by a key press. */
  interruptible: boolean;
  /** Set while a hook-flash transfer listens for the extension's busy tone. */
  onBusy?: (tone: string) => void;
}

export interface SoundcardLineDeps {
  options?: Parameters<typeof resolveSoundcardOptions>[0];
  source: AudioSource;
  sink: AudioSink;
  ringInput: RingInput;
  /** The `hook` role: energised = off hook. Wire it normally open so power loss hangs up. */
  relays: Relays;
  log: Logger;
  clock?: Clock;
  wallClock?: () => Date;
}

/**
 * The Line port over a USB sound card behind a telephone line interface board: rings from a
 * GPIO ring-detect input, hook by the `hook` relay, and in software everything a voice modem
 * does in silicon: caller ID (FSK, between the first and second ring or before the first),
 * DTMF, busy/reorder/dial tone and silence for far-end hang-up, hook-flash transfer with DTMF
 * dialling. Full duplex: capture runs all the time, playback for the length of a call.
 */
export class SoundcardLine implements Line {
  readonly kind = 'soundcard';
  readonly events = new TypedEmitter<LineEvents>();
  readonly #deps: SoundcardLineDeps;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #wallClock: () => Date;
  #o: SoundcardOptions | undefined;
  #state: LineState = 'down';
  #running = false;
  #call: ActiveCall | undefined;
  #rings: RingDetector | undefined;
  #callerId: CallerIdListener | undefined;
  /** Caller ID heard before ring 1 (UK), waiting for the ring it belongs to. */
  #earlyCallerId: { callerId: CallerId; atMs: number } | undefined;
  #callerIdSent = false;
  #playChain: Promise<unknown> = Promise.resolve();
  #restartTimer: unknown;
  #restartDelayMs = 0;

  constructor(deps: SoundcardLineDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    this.#log = deps.log;
    this.#wallClock = deps.wallClock ?? (() => new Date());
  }

  state(): LineState {
    return this.#state;
  }

  /**
   * Invalid options reject. A sound card that cannot capture does not: the line reports
   * `down` and retries with backoff, so the appliance (and its fall-through relay) keeps going.
   */
  async start(): Promise<void> {
    const o = resolveSoundcardOptions(this.#deps.options);
    this.#o = o;
    this.#running = true;
    this.#restartDelayMs = o.restartInitialMs;
    this.#rings = new RingDetector(this.#clock, o.ring, {
      ring: (count) => this.#onRing(count),
      gone: () => this.#onRingsGone(),
    });
    this.#callerId = new CallerIdListener(o.fskStandard, {
      message: (decoded) => this.#onCallerId(decoded),
      error: (error, standard) =>
        this.#log.warn({ code: error.code, standard }, `${error.message}`),
    });
    const { ringInput, source, sink } = this.#deps;
    ringInput.events.on('edge', this.#onEdge);
    ringInput.events.on('error', this.#onRingInputError);
    source.events.on('frame', this.#onFrame);
    source.events.on('error', this.#onSourceError);
    sink.events.on('error', this.#onSinkError);
    await this.#deps.relays.set(HOOK, false);
    await ringInput.start();
    await this.#startCapture();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#restartTimer !== undefined) this.#clock.clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    if (this.#call) await this.#endCall('local', 'linekeeper stopping');
    this.#rings?.reset();
    const { ringInput, source, sink } = this.#deps;
    ringInput.events.off('edge', this.#onEdge);
    ringInput.events.off('error', this.#onRingInputError);
    source.events.off('frame', this.#onFrame);
    source.events.off('error', this.#onSourceError);
    sink.events.off('error', this.#onSinkError);
    await Promise.allSettled([source.stop(), ringInput.stop(), sink.stop()]);
    await this.#deps.relays.set(HOOK, false).catch(() => {});
    this.#setState('down', 'stopped');
  }

  async answer(): Promise<void> {
    if (this.#call) return;
    if (this.#state !== 'ringing' && this.#state !== 'idle') {
      throw new SoundcardError(
        'SOUNDCARD_BAD_STATE',
        `cannot answer while the sound-card line is ${this.#state}`,
      );
    }
    const o = this.#o!;
    this.#rings?.reset();
    this.#earlyCallerId = undefined;
    const pump = new PlaybackPump({
      clock: this.#clock,
      sink: this.#deps.sink,
      sampleRate: RATE,
      frameMs: o.frameMs,
      leadMs: o.playLeadMs,
    });
    const call: ActiveCall = {
      ended: false,
      pump,
      interruptible: false,
      audio: new CallAudio(
        o.country,
        { dbm0: o.silenceDbm0, limitMs: o.silenceHangupMs },
        {
          keyDown: (digit, startMs) => this.#onKey(call, digit, startMs),
          tone: (event) => this.#onTone(call, event),
          silence: (ms) => {
            if (this.#call === call && this.#state === 'connected')
              void this.#endCall('remote', `${Math.round(ms / 1000)} s of silence on the line`);
          },
        },
      ),
    };
    try {
      await this.#deps.relays.set(HOOK, true);
      await this.#deps.sink.start();
    } catch (error) {
      await this.#deps.relays.set(HOOK, false).catch(() => {});
      throw error instanceof LinekeeperError
        ? error
        : new SoundcardError('SOUNDCARD_ANSWER_FAILED', `could not go off hook: ${String(error)}`, {
            cause: error,
          });
    }
    this.#call = call;
    pump.start();
    this.#setState('connected');
  }

  play(prompt: Prompt, signal?: AbortSignal): Promise<PlayOutcome> {
    const run = this.#playChain.then(() => this.#play(prompt, signal));
    this.#playChain = run.catch(() => {});
    return run;
  }

  async #play(prompt: Prompt, signal?: AbortSignal): Promise<PlayOutcome> {
    const call = this.#call;
    if (!call || call.ended) return 'hangup';
    if (signal?.aborted) return 'interrupted';
    const audio = prompt.audio;
    if (!audio || audio.samples.length === 0) {
      this.#log.warn({ prompt: prompt.id }, 'prompt has no audio: nothing to play on the line');
      return 'completed';
    }
    const samples =
      audio.sampleRate === RATE
        ? audio.samples
        : Resampler.convert(audio.samples, audio.sampleRate, RATE);
    const onAbort = () => call.pump.cut();
    signal?.addEventListener('abort', onAbort, { once: true });
    call.interruptible = prompt.interruptible;
    try {
      const result = await call.pump.play(samples);
      if (call.ended) return 'hangup';
      return result === 'completed' ? 'completed' : 'interrupted';
    } finally {
      call.interruptible = false;
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async transfer(request: TransferRequest): Promise<TransferOutcome> {
    const call = this.#call;
    if (!call || call.ended) return 'failed';
    if (request.method !== 'hook-flash') {
      // The line-select relay is the appliance's, not the line's: it switches, then hangs us up.
      this.#log.warn({ target: request.target }, 'sound-card line transfers by hook flash only');
      return 'failed';
    }
    if (request.extension !== undefined && ![...request.extension].every(isDtmfDigit)) {
      this.#log.error({ target: request.target }, 'transfer extension is not DTMF digits');
      return 'failed';
    }
    const o = this.#o!;
    call.pump.cut();
    this.#setState('transferring', `to ${request.target}`);
    call.audio.keysMuted = true;
    try {
      await this.#hookFlash();
      if (call.ended) return 'failed';
      await sleep(this.#clock, o.flashSettleMs);
      call.audio.restartToneDetection();
      if (request.extension) {
        const tones = renderDtmf(request.extension, {
          toneMs: o.dtmfToneMs,
          pauseMs: o.dtmfPauseMs,
          lowDbm0: o.dtmfLevelDbm0,
          highDbm0: o.dtmfLevelDbm0 + 2,
          rampMs: 3,
        });
        await call.pump.play(tones);
      }
      if (call.ended) return 'failed';
      const busy = await this.#listenForBusy(
        call,
        Math.min(request.answerTimeoutMs, o.transferBusyWindowMs),
      );
      if (call.ended) return 'failed';
      if (busy) {
        // Flash back to the caller on hold and carry on with the call.
        await this.#hookFlash();
        call.audio.restartToneDetection();
        call.audio.keysMuted = false;
        this.#setState('connected', `${request.target} busy (${busy} tone)`);
        return 'busy';
      }
      await this.#endCall('local', `transferred to ${request.target}`);
      return 'connected';
    } catch (error) {
      this.#log.error({ err: error }, 'hook-flash transfer failed');
      if (!call.ended) await this.#endCall('line-fault', `transfer failed: ${String(error)}`);
      return 'failed';
    }
  }

  async hangup(): Promise<void> {
    if (this.#call) await this.#endCall('local', 'hung up');
  }

  // --- what the line tells us -----------------------------------------------------------

  readonly #onEdge = ({ active, atMs }: { active: boolean; atMs: number }) => {
    // Off hook there is no ring voltage; edges then are hook-switch transients.
    if (this.#call || this.#state === 'down') return;
    this.#rings?.edge(active, atMs);
  };

  readonly #onRingInputError = ({ error }: { error: LinekeeperError }) => {
    this.#log.error({ err: error, code: error.code }, 'ring input failed: calls cannot be seen');
    this.#setState('down', `${error.code}: ${error.message}`);
  };

  #onRing(count: number): void {
    if (this.#call || this.#state === 'down' || this.#state === 'transferring') return;
    if (count === 1) this.#callerIdSent = false;
    this.#setState('ringing');
    this.events.emit('ring', { count });
    const early = this.#earlyCallerId;
    this.#earlyCallerId = undefined;
    if (count === 1 && early && this.#clock.now() - early.atMs <= this.#o!.callerIdHoldMs)
      this.#sendCallerId(early.callerId);
    const answerOn = this.#o!.answerOnRing;
    if (answerOn > 0 && count === answerOn) {
      this.answer().catch((error: unknown) =>
        this.#log.error({ err: error }, 'auto-answer failed'),
      );
    }
  }

  #onRingsGone(): void {
    if (this.#call) return;
    this.#callerId?.reset();
    this.#setState('idle', 'rings stopped before answer');
  }

  #onCallerId(decoded: DecodedCallerId): void {
    if (this.#call) return;
    const callerId = toLineCallerId(decoded.message, this.#wallClock());
    this.#log.info(
      { standard: decoded.standard, format: decoded.message.format, quality: decoded.quality },
      'caller ID received',
    );
    if (this.#state === 'ringing') this.#sendCallerId(callerId);
    else this.#earlyCallerId = { callerId, atMs: this.#clock.now() };
  }

  #sendCallerId(callerId: CallerId): void {
    if (this.#callerIdSent) return;
    this.#callerIdSent = true;
    this.events.emit('callerId', callerId);
  }

  readonly #onFrame = (samples: Int16Array) => {
    const call = this.#call;
    if (!call) {
      if (this.#state === 'idle' || this.#state === 'ringing') this.#callerId?.process(samples);
      return;
    }
    if (call.ended) return;
    this.events.emit('audio', {
      samples,
      sampleRate: RATE,
      timestampMs: call.audio.elapsedMs,
    });
    call.audio.process(samples);
  };

  #onKey(call: ActiveCall, digit: string, startMs: number): void {
    if (call.ended || this.#state !== 'connected' || !isDtmfDigit(digit)) return;
    // Barge-in here rather than wait for the session's abort: the very next frame is silence.
    if (call.interruptible) call.pump.cut();
    this.events.emit('dtmf', { digit, atMs: startMs });
  }

  #onTone(call: ActiveCall, event: CallProgressEvent): void {
    if (call.ended || this.#call !== call) return;
    if (this.#state === 'transferring') {
      if (event.tone === 'busy' || event.tone === 'reorder') call.onBusy?.(event.tone);
      return;
    }
    if (event.tone === 'busy' || event.tone === 'reorder' || event.tone === 'dial') {
      void this.#endCall('remote', `far end gone: ${event.tone} tone (${event.country})`);
    }
  }

  readonly #onSourceError = ({ error }: { error: LinekeeperError }) => {
    this.#log.error({ err: error, code: error.code }, 'sound-card capture failed');
    void this.#fault(error);
  };

  readonly #onSinkError = ({ error }: { error: LinekeeperError }) => {
    this.#log.error({ err: error, code: error.code }, 'sound-card playback failed');
    if (this.#call) void this.#endCall('line-fault', error.message);
  };

  // --- call control ---------------------------------------------------------------------

  async #hookFlash(): Promise<void> {
    // Energised is off hook, so a flash is a short release, not a pulse.
    await this.#deps.relays.set(HOOK, false);
    await sleep(this.#clock, this.#o!.hookFlashMs);
    await this.#deps.relays.set(HOOK, true);
  }

  #listenForBusy(call: ActiveCall, windowMs: number): Promise<string | undefined> {
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        call.onBusy = undefined;
        resolve(undefined);
      }, windowMs);
      call.onBusy = (tone) => {
        this.#clock.clearTimeout(timer);
        call.onBusy = undefined;
        resolve(tone);
      };
    });
  }

  async #endCall(cause: HangupCause, detail: string): Promise<void> {
    const call = this.#call;
    if (!call || call.ended) return;
    call.ended = true;
    this.#call = undefined;
    call.onBusy?.('hangup');
    call.pump.stop();
    this.events.emit('hangup', { cause });
    this.#callerId?.reset();
    this.#callerIdSent = false;
    try {
      await this.#deps.relays.set(HOOK, false);
    } catch (error) {
      this.#log.error({ err: error }, 'hook relay did not release: the line may stay seized');
    }
    await this.#deps.sink.stop().catch(() => {});
    if (this.#state !== 'down') this.#setState('idle', detail);
  }

  async #startCapture(): Promise<void> {
    try {
      await this.#deps.source.start();
      this.#restartDelayMs = this.#o!.restartInitialMs;
      this.#callerId?.reset();
      this.#setState('idle', `sound card ready (${this.#deps.source.kind})`);
    } catch (error) {
      await this.#fault(error);
    }
  }

  async #fault(error: unknown): Promise<void> {
    const failure =
      error instanceof LinekeeperError
        ? error
        : new SoundcardError('SOUNDCARD_FAILED', `sound card failed: ${String(error)}`, {
            cause: error,
          });
    if (this.#call) await this.#endCall('line-fault', failure.message);
    this.#rings?.reset();
    this.#setState('down', `${failure.code}: ${failure.message}`);
    await this.#deps.source.stop().catch(() => {});
    if (!this.#running || this.#restartTimer !== undefined) return;
    const delay = this.#restartDelayMs;
    this.#restartDelayMs = Math.min(this.#o!.restartMaxMs, delay * 2);
    this.#log.info({ delayMs: delay }, 'sound-card capture restart scheduled');
    this.#restartTimer = this.#clock.setTimeout(() => {
      this.#restartTimer = undefined;
      if (this.#running) void this.#startCapture();
    }, delay);
  }

  #setState(state: LineState, detail?: string): void {
    if (state === this.#state && detail === undefined) return;
    this.#state = state;
    this.#log.info({ state, detail }, 'sound-card line state');
    this.events.emit('state', detail === undefined ? { state } : { state, detail });
  }
}
