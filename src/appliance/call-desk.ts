import { randomUUID } from 'node:crypto';
import type { CallEvents } from '../call/call-events.js';
import type { CallRecord, PseudonymousCaller } from '../call/call-record.js';
import { CallSession, type CallSessionOptions } from '../call/call-session.js';
import type { FloodGuard } from '../guard/flood-guard.js';
import type { ScreenVerdict } from '../guard/guard-events.js';
import type { RandomSource } from '../guard/random-source.js';
import { refusedRecord } from '../guard/refused-record.js';
import { handleScreenedCall } from '../guard/screen-call.js';
import type { CallActions } from '../ivr/call-actions.js';
import type { Flow } from '../ivr/flow-schema.js';
import type { CallerId, Line } from '../line/line-port.js';
import { type CallerPseudonymizer, normalizeNumber } from '../privacy/caller-pseudonymizer.js';
import type { PromptAudio } from '../prompts/prompt-audio-port.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { TypedEmitter } from '../shared/typed-emitter.js';
import type { Recognizer } from '../speech/recognizer-port.js';
import type { CallStore } from '../storage/call-store-port.js';
import type { CallbackStore } from '../storage/callback-store-port.js';
import type { StoredCallEvent } from '../storage/sqlite/sqlite-call-event-store.js';
import type { VoicemailStore } from '../storage/voicemail-store-port.js';

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
  /** The flood guard: screens each caller at caller ID, before the line is answered. */
  screening?: {
    guard: FloodGuard;
    challenge: { digits: number; attempts: number; timeoutMs: number };
    random: RandomSource;
  } | null;
  /** Where callback requests keep the number to call back (sealed), and for how long. */
  callbacks?: { store: CallbackStore; retentionMs: number } | null;
  /** Where voicemail nodes keep messages; null when voicemail is off. */
  voicemail?: VoicemailStore | null;
  /** How often records that could not be saved are tried again (default 10 s). */
  storageRetryMs?: number;
  /** Pseudonymous per-call events (menu choices, routes, screening) for reports. */
  callEvents?: { append(event: StoredCallEvent): void } | null;
}

/** Records kept in memory while storage fails; beyond this the oldest is dropped (and logged). */
const MAX_PENDING = 200;

export interface CallDeskEvents extends CallEvents {
  'call-saved': { record: CallRecord };
  'call-save-failed': { record: CallRecord; error: Error };
  /** Storage accepted records again after a failure. */
  'storage-recovered': Record<string, never>;
}

/**
 * Answers the line and runs one call at a time: collects caller ID from the rings, screens the
 * caller (flood guard), answers on the configured ring, runs a CallSession, and saves the record
 * and any callback request. Shared by `linekeeper run` and `linekeeper simulate`, so the
 * simulator exercises exactly what the appliance does.
 */
export class CallDesk {
  readonly events = new TypedEmitter<CallDeskEvents>();
  readonly #o: CallDeskOptions;
  #callerId: CallerId | null = null;
  #verdict: ScreenVerdict | null = null;
  #current: Promise<CallRecord | null> | null = null;
  #currentCallId: string | null = null;
  /** Records not yet safely stored, oldest first (storage failing, e.g. a full disk). */
  readonly #pending: { record: CallRecord; callerId: CallerId | null; callSaved: boolean }[] = [];
  #flushing = false;
  #storageFailed = false;
  #retry: NodeJS.Timeout | null = null;

  constructor(options: CallDeskOptions) {
    this.#o = options;
    this.events.setListenerErrorHandler((event, error) =>
      options.logger.error(
        { err: error, event },
        'a listener of a call event failed; the call goes on',
      ),
    );
    const events = options.callEvents;
    if (events) {
      // Choices and routes only: what the caller typed or said never leaves the session.
      this.events.on('menu-choice', ({ callId, choice }) =>
        events.append({
          callId,
          atMs: Date.now(),
          kind: 'menu-choice',
          callerHash: null,
          detail: { ...choice },
        }),
      );
      this.events.on('routed', ({ callId, route }) =>
        events.append({
          callId,
          atMs: Date.now(),
          kind: 'routed',
          callerHash: null,
          detail: { route },
        }),
      );
    }
  }

  start(): void {
    this.#o.line.events.on('callerId', this.#onCallerId);
    this.#o.line.events.on('ring', this.#onRing);
    this.#o.line.events.on('state', this.#onState);
  }

  stop(): void {
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
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
    const screening = this.#o.screening;
    if (!screening || this.#current) return;
    this.#verdict = screening.guard.screen(this.#o.pseudonymizer.pseudonymize(callerId));
    // A refused caller is answered and dropped at once: a ringing bot would hold the only line.
    if (this.#verdict.action === 'refuse') this.#take();
  };

  readonly #onState = ({ state }: { state: string }) => {
    // A new ringing period starts a new call: forget the previous caller ID.
    if (state === 'idle' && !this.#current) {
      this.#callerId = null;
      this.#verdict = null;
    }
  };

  readonly #onRing = ({ count }: { count: number }) => {
    if (this.#current || count < this.#o.answerOnRing) return;
    this.#take();
  };

  #take(): void {
    if (this.#o.answering && !this.#o.answering()) return;
    // Someone may have picked up an extension between rings: never greet a taken call.
    if (this.#o.line.state() !== 'ringing') return;
    this.#current = this.#handleCall().finally(() => {
      this.#current = null;
      this.#currentCallId = null;
      this.#callerId = null;
      this.#verdict = null;
    });
  }

  async #handleCall(): Promise<CallRecord | null> {
    const { logger } = this.#o;
    const callId = randomUUID();
    this.#currentCallId = callId;
    const callerId = this.#callerId;
    const caller = this.#o.pseudonymizer.pseudonymize(callerId);
    const log = logger.child({ callId });
    log.info(
      { caller: { hash: caller.hash, hint: caller.hint, withheld: caller.withheld } },
      'answering call',
    );
    const flow = this.#o.flow();
    let record: CallRecord;
    try {
      const screening = this.#o.screening;
      if (screening) {
        const verdict = this.#verdict ?? screening.guard.screen(caller);
        this.#appendEvent({
          callId,
          atMs: Date.now(),
          kind: 'screened',
          callerHash: caller.hash,
          detail: { ...verdict },
        });
        ({ record } = await handleScreenedCall(caller, verdict, {
          guard: screening.guard,
          line: this.#o.line,
          clock: this.#o.clock,
          language: flow.language,
          challenge: { ...screening.challenge, random: screening.random },
          runSession: (gate) => this.#runSession(callId, caller, flow, log, gate),
          refusedRecord: (route, startedAtMs) =>
            refusedRecord(callId, caller, route, startedAtMs, flow, this.#o.line.kind),
        }));
      } else {
        record = await this.#runSession(callId, caller, flow, log, null);
      }
    } catch (error) {
      log.error({ err: error }, 'call could not be handled');
      return null;
    }
    log.info(
      { route: record.route, endReason: record.endReason, durationMs: record.durationMs },
      'call ended',
    );
    this.#pending.push({ record, callerId, callSaved: false });
    if (this.#pending.length > MAX_PENDING) {
      const dropped = this.#pending.shift()!;
      log.error(
        { droppedCallId: dropped.record.id },
        `more than ${MAX_PENDING} calls wait for storage: the oldest record is dropped`,
      );
    }
    await this.#flush();
    return record;
  }

  /**
   * Saves waiting records (and their callback requests) in order. While storage fails (a full
   * disk, a damaged file) they wait in memory and are retried every few seconds; the first
   * success after a failure reports `storage-recovered`, so the line can come back.
   */
  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#pending.length > 0) {
        const entry = this.#pending[0]!;
        try {
          if (!entry.callSaved) {
            await this.#o.store.saveCall(entry.record);
            entry.callSaved = true;
          }
          this.#saveCallback(entry.record, entry.callerId);
        } catch (error) {
          this.#o.logger.error(
            { err: error, callId: entry.record.id },
            'call record could not be saved; will retry',
          );
          this.#storageFailed = true;
          this.events.emit('call-save-failed', { record: entry.record, error: error as Error });
          this.#scheduleRetry();
          return;
        }
        this.#pending.shift();
        this.events.emit('call-saved', { record: entry.record });
      }
      if (this.#storageFailed) {
        this.#storageFailed = false;
        this.#o.logger.warn('storage works again: waiting call records are saved');
        this.events.emit('storage-recovered', {});
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** Events are a report, not the call: a failing write (a full disk) is logged, never fatal. */
  #appendEvent(event: StoredCallEvent): void {
    try {
      this.#o.callEvents?.append(event);
    } catch (error) {
      this.#o.logger.warn({ err: error, callId: event.callId }, 'call event not stored');
    }
  }

  #scheduleRetry(): void {
    if (this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.#flush();
    }, this.#o.storageRetryMs ?? 10_000);
    this.#retry.unref();
  }

  async #runSession(
    callId: string,
    caller: PseudonymousCaller,
    flow: Flow,
    log: Logger,
    challenge: ((call: CallActions) => Promise<boolean>) | null,
  ): Promise<CallRecord> {
    const recognition = this.#o.recognizer?.createSession({ sampleRate: 8000 }) ?? null;
    const options: CallSessionOptions = {
      callId,
      caller,
      flow,
      line: this.#o.line,
      recognition,
      clock: this.#o.clock,
      events: this.events,
      logger: log,
      emergencyNotice: this.#o.emergencyNotice,
      maxCallMs: this.#o.maxCallMs,
      challenge,
      voicemail: this.#o.voicemail ?? null,
      promptAudio: this.#o.promptAudio ?? null,
      ...(this.#o.nightMode ? { nightMode: this.#o.nightMode } : {}),
      ...(this.#o.minSpeechConfidence !== undefined
        ? { minSpeechConfidence: this.#o.minSpeechConfidence }
        : {}),
    };
    try {
      return await new CallSession(options).run();
    } finally {
      recognition?.close();
    }
  }

  /** A callback request keeps the number, sealed, until staff call back or it expires. */
  #saveCallback(record: CallRecord, callerId: CallerId | null): void {
    const callbacks = this.#o.callbacks;
    const number = normalizeNumber(callerId?.number);
    if (
      !callbacks ||
      record.route !== 'callback' ||
      !number ||
      !record.callerHash ||
      !record.callerHint
    )
      return;
    callbacks.store.add({
      callId: record.id,
      number,
      callerHash: record.callerHash,
      callerHint: record.callerHint,
      topic: record.topic,
      window: record.callbackWindow,
      language: record.language,
      createdAtMs: Date.now(),
      retentionMs: callbacks.retentionMs,
    });
  }
}
