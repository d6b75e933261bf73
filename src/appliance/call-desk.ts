import { randomUUID } from 'node:crypto';
import type { CallEvents } from '../call/call-events.js';
import type { CallRecord } from '../call/call-record.js';
import { CallSession } from '../call/call-session.js';
import type { Flow } from '../ivr/flow-schema.js';
import type { CallerId, Line } from '../line/line-port.js';
import type { CallerPseudonymizer } from '../privacy/caller-pseudonymizer.js';
import type { PromptAudio } from '../prompts/prompt-audio-port.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { TypedEmitter } from '../shared/typed-emitter.js';
import type { Recognizer } from '../speech/recognizer-port.js';
import type { CallStore } from '../storage/call-store-port.js';

export interface CallDeskOptions {
  line: Line;
  recognizer: Recognizer | null;
  store: CallStore;
  clock: Clock;
  pseudonymizer: CallerPseudonymizer;
  logger: Logger;
  flow: () => Flow;
  answerOnRing: number;
  /** One text, or one per language (the flow's language is picked); null for none. */
  emergencyNotice: string | Record<string, string> | null;
  maxCallMs: number;
  nightMode?: () => boolean;
  /** False while the line is forced to the front desk: rings are left to the desk phone. */
  answering?: () => boolean;
  promptAudio?: PromptAudio | null;
  minSpeechConfidence?: number;
}

export interface CallDeskEvents extends CallEvents {
  'call-saved': { record: CallRecord };
  'call-save-failed': { record: CallRecord; error: Error };
}

/**
 * Answers the line and runs one call at a time: collects caller ID from the rings, answers on
 * the configured ring, runs a CallSession, and saves the record. Shared by `linekeeper run` and
 * `linekeeper simulate`, so the simulator exercises exactly what the appliance does.
 */
export class CallDesk {
  readonly events = new TypedEmitter<CallDeskEvents>();
  readonly #o: CallDeskOptions;
  #callerId: CallerId | null = null;
  #current: Promise<CallRecord | null> | null = null;
  #currentCallId: string | null = null;

  constructor(options: CallDeskOptions) {
    this.#o = options;
    this.events.setListenerErrorHandler((event, error) =>
      options.logger.error(
        { err: error, event },
        'a listener of a call event failed; the call goes on',
      ),
    );
  }

  start(): void {
    this.#o.line.events.on('callerId', this.#onCallerId);
    this.#o.line.events.on('ring', this.#onRing);
    this.#o.line.events.on('state', this.#onState);
  }

  stop(): void {
    this.#o.line.events.off('callerId', this.#onCallerId);
    this.#o.line.events.off('ring', this.#onRing);
    this.#o.line.events.off('state', this.#onState);
  }

  currentCallId(): string | null {
    return this.#currentCallId;
  }

  /** Resolves with the record of the call in progress (null if none), once it is saved. */
  async settled(): Promise<CallRecord | null> {
    return this.#current ? await this.#current : null;
  }

  readonly #onCallerId = (callerId: CallerId) => {
    this.#callerId = callerId;
  };

  readonly #onState = ({ state }: { state: string }) => {
    // A new ringing period starts a new call: forget the previous caller ID.
    if (state === 'idle' && !this.#current) this.#callerId = null;
  };

  readonly #onRing = ({ count }: { count: number }) => {
    if (this.#current || count < this.#o.answerOnRing) return;
    if (this.#o.answering && !this.#o.answering()) return;
    // Someone may have picked up an extension between rings: never greet a taken call.
    if (this.#o.line.state() !== 'ringing') return;
    this.#current = this.#handleCall().finally(() => {
      this.#current = null;
      this.#currentCallId = null;
      this.#callerId = null;
    });
  };

  async #handleCall(): Promise<CallRecord | null> {
    const { logger, store } = this.#o;
    const callId = randomUUID();
    this.#currentCallId = callId;
    const caller = this.#o.pseudonymizer.pseudonymize(this.#callerId);
    const recognition = this.#o.recognizer?.createSession({ sampleRate: 8000 }) ?? null;
    const log = logger.child({ callId });
    log.info(
      { caller: { hash: caller.hash, hint: caller.hint, withheld: caller.withheld } },
      'answering call',
    );
    let record: CallRecord;
    try {
      record = await new CallSession({
        callId,
        caller,
        flow: this.#o.flow(),
        line: this.#o.line,
        recognition,
        clock: this.#o.clock,
        events: this.events,
        logger: log,
        emergencyNotice: this.#o.emergencyNotice,
        maxCallMs: this.#o.maxCallMs,
        ...(this.#o.nightMode ? { nightMode: this.#o.nightMode } : {}),
        promptAudio: this.#o.promptAudio ?? null,
        ...(this.#o.minSpeechConfidence !== undefined
          ? { minSpeechConfidence: this.#o.minSpeechConfidence }
          : {}),
      }).run();
    } catch (error) {
      log.error({ err: error }, 'call could not be handled');
      return null;
    } finally {
      recognition?.close();
    }
    log.info(
      { route: record.route, endReason: record.endReason, durationMs: record.durationMs },
      'call ended',
    );
    try {
      await store.saveCall(record);
      this.events.emit('call-saved', { record });
    } catch (error) {
      log.error({ err: error }, 'call record could not be saved');
      this.events.emit('call-save-failed', { record, error: error as Error });
    }
    return record;
  }
}
