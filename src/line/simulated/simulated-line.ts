import { DtmfReceiver } from '../../audio/dtmf-receiver.js';
import type { Clock } from '../../shared/clock.js';
import { LinekeeperError } from '../../shared/errors.js';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import {
  type CallerId,
  type DtmfDigit,
  isDtmfDigit,
  type Line,
  type LineEvents,
  type LineState,
  type PlayOutcome,
  type Prompt,
  type TransferOutcome,
  type TransferRequest,
} from '../line-port.js';

/** What the far end of a simulated call does; see SimulatedCaller for the scripted one. */
export interface SimulatedFarEnd {
  onAnswered(): void;
  onPromptStarted(prompt: Prompt): void;
  onPromptEnded(prompt: Prompt, outcome: PlayOutcome): void;
  /** Whether a person picks up when the call is handed over. */
  transferOutcome(request: TransferRequest): TransferOutcome;
  onHungUp(): void;
}

export interface PlayedPrompt {
  prompt: Prompt;
  startedAtMs: number;
  endedAtMs: number;
  outcome: PlayOutcome;
}

/** Speaking rate used to turn prompt text into a duration: 160 words per minute. */
const MS_PER_WORD = 375;
const RING_CYCLE_MS = 6000;

export function promptDurationMs(text: string): number {
  const wordCount = text.split(/\s+/).filter(Boolean).length;
  return Math.max(600, wordCount * MS_PER_WORD);
}

/**
 * A phone line in memory: rings, caller ID, key presses and hang-ups come from a scripted far
 * end; prompts "play" for as long as they would take to speak. Used by `linekeeper simulate`,
 * by `linekeeper run` when no modem is configured, and by tests.
 */
export class SimulatedLine implements Line {
  readonly kind = 'simulated';
  readonly events = new TypedEmitter<LineEvents>();
  readonly played: PlayedPrompt[] = [];
  readonly transfers: TransferRequest[] = [];
  readonly #clock: Clock;
  #state: LineState = 'down';
  #farEnd: SimulatedFarEnd | null = null;
  #callOver: AbortController | null = null;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  state(): LineState {
    return this.#state;
  }

  async start(): Promise<void> {
    this.#setState('idle');
  }

  async stop(): Promise<void> {
    this.#callOver?.abort();
    this.#setState('down');
  }

  /**
   * Rings until answered (the appliance answers on its configured ring) or `maxRings` pass.
   * Caller ID is delivered between the first and second ring, as on a real line.
   */
  async placeCall(
    farEnd: SimulatedFarEnd,
    callerId: Omit<CallerId, 'receivedAt'> | null,
    maxRings = 8,
  ): Promise<'answered' | 'missed'> {
    if (this.#state !== 'idle')
      throw new LinekeeperError('LINE_BUSY', `simulated line is ${this.#state}, not idle`);
    this.#farEnd = farEnd;
    this.#callOver = new AbortController();
    this.#setState('ringing');
    for (let count = 1; count <= maxRings; count++) {
      this.events.emit('ring', { count });
      if (!this.#is('ringing')) return 'answered';
      if (count === 1 && callerId)
        this.events.emit('callerId', { ...callerId, receivedAt: new Date() });
      await this.#clock.sleep(RING_CYCLE_MS, this.#callOver.signal);
      if (!this.#is('ringing')) return 'answered';
    }
    this.#farEnd = null;
    this.#setState('idle');
    return 'missed';
  }

  async answer(): Promise<void> {
    if (this.#state !== 'ringing')
      throw new LinekeeperError(
        'LINE_NOT_RINGING',
        `cannot answer: simulated line is ${this.#state}`,
      );
    this.#setState('connected');
    this.#farEnd?.onAnswered();
  }

  async play(prompt: Prompt, signal?: AbortSignal): Promise<PlayOutcome> {
    if (this.#state !== 'connected') return 'hangup';
    const startedAtMs = this.#clock.now();
    this.#farEnd?.onPromptStarted(prompt);
    const stop = AbortSignal.any([signal ?? new AbortController().signal, this.#callOver!.signal]);
    const result = await this.#clock.sleep(promptDurationMs(prompt.text), stop);
    const outcome: PlayOutcome =
      this.#state !== 'connected' ? 'hangup' : result === 'aborted' ? 'interrupted' : 'completed';
    this.played.push({ prompt, startedAtMs, endedAtMs: this.#clock.now(), outcome });
    this.#farEnd?.onPromptEnded(prompt, outcome);
    return outcome;
  }

  async transfer(request: TransferRequest): Promise<TransferOutcome> {
    if (this.#state !== 'connected') return 'failed';
    this.transfers.push(request);
    this.#setState('transferring', request.target);
    // A person takes a few rings to pick up.
    const outcome = this.#farEnd?.transferOutcome(request) ?? 'no-answer';
    await this.#clock.sleep(
      outcome === 'connected' ? 4000 : request.answerTimeoutMs,
      this.#callOver!.signal,
    );
    if (!this.#is('transferring')) return 'failed';
    if (outcome === 'connected') {
      this.#endCall();
      return 'connected';
    }
    this.#setState('connected');
    return outcome;
  }

  async hangup(): Promise<void> {
    if (this.#state === 'idle' || this.#state === 'down') return;
    this.#farEnd?.onHungUp();
    this.#endCall();
  }

  /** The far end hangs up (called by the scripted caller). */
  farEndHangsUp(): void {
    if (this.#state !== 'connected' && this.#state !== 'transferring') return;
    this.#endCall();
    this.events.emit('hangup', { cause: 'remote' });
  }

  /**
   * The far end sends audio (a recording): it reaches listeners as 20 ms frames at real pace on
   * this line's clock, and key presses in it are detected by the DSP receiver, as a sound-card
   * line would. Resolves when the audio has been sent or the call ended.
   */
  async farEndSendsAudio(samples: Int16Array): Promise<void> {
    const frame = 160;
    const receiver = new DtmfReceiver();
    const start = this.#clock.now();
    for (let offset = 0; offset < samples.length; offset += frame) {
      if (this.#state !== 'connected') return;
      const chunk = samples.subarray(offset, Math.min(samples.length, offset + frame));
      this.events.emit('audio', {
        samples: chunk,
        sampleRate: 8000,
        timestampMs: this.#clock.now() - start,
      });
      receiver.process(chunk, (event) => {
        if (event.kind === 'press' && isDtmfDigit(event.digit)) {
          this.events.emit('dtmf', { digit: event.digit, atMs: this.#clock.now() });
        }
      });
      await this.#clock.sleep(20, this.#callOver?.signal);
    }
  }

  /** The far end presses a key (called by the scripted caller). */
  farEndPresses(digit: DtmfDigit, durationMs = 100): void {
    if (this.#state !== 'connected') return;
    this.events.emit('dtmf', { digit, atMs: this.#clock.now(), durationMs });
  }

  /** A method, not a field read, because listeners may change the state while we await. */
  #is(state: LineState): boolean {
    return this.#state === state;
  }

  #endCall(): void {
    this.#farEnd = null;
    this.#callOver?.abort();
    this.#setState('idle');
  }

  #setState(state: LineState, detail?: string): void {
    this.#state = state;
    this.events.emit('state', detail ? { state, detail } : { state });
  }
}
