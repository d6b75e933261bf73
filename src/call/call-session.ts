import { renderTone } from '../audio/tone-generator.js';
import type { CallActions } from '../ivr/call-actions.js';
import { FlowRunner } from '../ivr/flow-runner.js';
import type { Flow } from '../ivr/flow-schema.js';
import { textFor } from '../ivr/localized.js';
import type {
  AudioFrame,
  Line,
  PlayOutcome,
  Prompt,
  TransferOutcome,
  TransferRequest,
} from '../line/line-port.js';
import type { PromptAudio } from '../prompts/prompt-audio-port.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { TypedEmitter } from '../shared/typed-emitter.js';
import type { RecognitionResult, RecognitionSession } from '../speech/recognizer-port.js';
import type { VoicemailStore } from '../storage/voicemail-store-port.js';
import type { CallEvents } from './call-events.js';
import type { CallEndReason, CallRecord, MenuChoice, PseudonymousCaller } from './call-record.js';
import { CallerInputQueue } from './caller-input-queue.js';

export interface CallSessionOptions {
  callId: string;
  caller: PseudonymousCaller;
  flow: Flow;
  line: Line;
  /** null when speech is off: menus then work by keys alone. */
  recognition: RecognitionSession | null;
  clock: Clock;
  events: TypedEmitter<CallEvents>;
  logger: Logger;
  /** One text, or one per language (the flow's language is picked); null for none. */
  emergencyNotice: string | Record<string, string> | null;
  maxCallMs: number;
  /** Speech results below this confidence are treated as not heard. */
  minSpeechConfidence?: number;
  /** Night mode, asked at each business-hours check so a change applies to calls in progress. */
  nightMode?: () => boolean;
  /** The flood guard's challenge, run after the notices and before the flow; false ends the call. */
  challenge?: ((call: CallActions) => Promise<boolean>) | null;
  /** Where voicemail goes; null when voicemail is off (then voicemail nodes record nothing). */
  voicemail?: VoicemailStore | null;
  /** Sound for prompts, for lines that play audio; the simulated line needs none. */
  promptAudio?: PromptAudio | null;
  maxDurationNotice?: string;
}

/** Thrown inside the flow when the call is over; unwinds the runner to the session. */
class CallEnded extends Error {
  constructor(readonly reason: CallEndReason) {
    super(`call ended: ${reason}`);
  }
}

/** The prompt id of the beep after which a caller speaks their message. */
export const VOICEMAIL_BEEP_ID = 'voicemail-beep';
/** Messages shorter than half a second are a caller who hung up at the beep. */
const MIN_MESSAGE_SAMPLES = 4000;
/** 1 kHz at -10 dBm0 for 400 ms: the beep before a voicemail message. */
const BEEP = renderTone({ components: [{ hz: 1000, dbm0: -10 }], rampMs: 5 }, 400);

function concat(chunks: Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** The route of a call whose caller failed the flood challenge. */
export const CHALLENGE_FAILED_ROUTE = 'refused:challenge';

const DEFAULT_MAX_DURATION_NOTICE =
  'We have reached the maximum length for this call. Please call again or stay on the line for reception next time. Goodbye.';

/**
 * One answered call from start to end: disclosure, emergency notice, the flow, and the record.
 * Hardware-free: everything arrives through the Line and RecognitionSession ports.
 */
export class CallSession implements CallActions {
  readonly #o: CallSessionOptions;
  readonly #inputs = new CallerInputQueue();
  readonly #ended = new AbortController();
  #endReason: CallEndReason | null = null;
  #route: string | null = null;
  #topic: string | null = null;
  #window: string | null = null;
  #language: string;
  readonly #choices: MenuChoice[] = [];
  #answeredAt = 0;
  #transferred = false;

  constructor(options: CallSessionOptions) {
    this.#o = options;
    this.#language = options.flow.language;
  }

  async run(): Promise<CallRecord> {
    const { line, clock, events, callId, caller, logger } = this.#o;
    // From the session's clock, so simulated calls carry their simulated time.
    const startedAt = new Date(clock.now());
    // Durations from the monotonic clock: a wall clock stepped mid-call (NTP, a late RTC-less
    // boot) must not give a call a negative or hour-long duration.
    const startMs = clock.monotonicNow();
    this.#answeredAt = startMs;
    events.emit('call-started', { callId, caller, at: startedAt });
    const detach = this.#attachInputs();
    const maxTimer = new AbortController();
    void clock
      .sleep(this.#o.maxCallMs, AbortSignal.any([maxTimer.signal, this.#ended.signal]))
      .then((r) => {
        if (r === 'timeout') this.#end('max-duration');
      });

    try {
      await line.answer();
      const { flow } = this.#o;
      // Before any choice the caller hears the flow's first language.
      const disclosure = textFor(flow.disclosure, flow.language, flow.language);
      await this.say('disclosure', disclosure, false, flow.language);
      const emergency = this.#o.emergencyNotice;
      if (emergency) {
        const text = textFor(emergency, flow.language, 'en');
        await this.say('emergency-notice', text, false, flow.language);
      }
      // During a call flood, strangers must prove they are a person before any menu or transfer.
      if (this.#o.challenge && !(await this.#o.challenge(this))) {
        this.recordRoute(CHALLENGE_FAILED_ROUTE);
        this.#endReason = 'appliance-hangup';
      } else {
        const end = await new FlowRunner(this.#o.flow, this).run();
        this.#endReason = end === 'transferred' ? 'transferred' : 'appliance-hangup';
      }
    } catch (error) {
      if (error instanceof CallEnded) {
        this.#endReason = error.reason;
      } else {
        logger.error({ err: error, callId }, 'call failed unexpectedly; hanging up');
        this.#endReason = 'error';
      }
    } finally {
      maxTimer.abort();
      detach();
    }

    if (this.#endReason === 'max-duration') await this.#playFinalNotice();
    if (
      !this.#transferred &&
      this.#endReason !== 'caller-hangup' &&
      this.#endReason !== 'line-fault'
    ) {
      await line
        .hangup()
        .catch((error: unknown) => logger.warn({ err: error, callId }, 'hang-up failed'));
    }
    // Whole milliseconds, as the wall clock gave them (performance.now() has fractions).
    const durationMs = Math.round(clock.monotonicNow() - startMs);
    const record: CallRecord = {
      id: callId,
      startedAt,
      endedAt: new Date(startedAt.getTime() + durationMs),
      durationMs,
      callerHash: caller.hash,
      callerHint: caller.hint,
      callerWithheld: caller.withheld,
      route: this.#route ?? (this.#endReason === 'caller-hangup' ? 'abandoned' : 'hangup'),
      topic: this.#topic,
      callbackWindow: this.#window,
      language: this.#language,
      choices: this.#choices,
      endReason: this.#endReason ?? 'error',
      flowName: this.#o.flow.name,
      lineKind: line.kind,
    };
    events.emit('call-ended', { record });
    return record;
  }

  // --- CallActions, used by the flow runner -------------------------------------------------

  async say(
    id: string,
    text: string,
    interruptible: boolean,
    language: string,
  ): Promise<PlayOutcome> {
    this.#throwIfEnded();
    const bargeIn = new AbortController();
    const stopOnInput = interruptible ? this.#onBargeIn(() => bargeIn.abort()) : () => {};
    // Input typed ahead of an interruptible prompt means the caller already knows what to do.
    if (interruptible && this.#inputs.hasPending()) bargeIn.abort();
    const signal = AbortSignal.any([bargeIn.signal, this.#ended.signal]);
    const startedAtMs = this.#atMs();
    let outcome: PlayOutcome;
    try {
      const prompt: Prompt = { id, text, interruptible, language };
      const audio = await this.#audioFor(prompt);
      if (audio) prompt.audio = audio;
      outcome = signal.aborted ? 'interrupted' : await this.#o.line.play(prompt, signal);
    } finally {
      stopOnInput();
    }
    this.#o.events.emit('prompt-played', {
      callId: this.#o.callId,
      promptId: id,
      text,
      outcome,
      atMs: startedAtMs,
    });
    this.#throwIfEnded();
    return outcome;
  }

  hasTypeAhead(): boolean {
    return this.#inputs.hasPending();
  }

  clearTypeAhead(): void {
    this.#inputs.clear();
  }

  async waitForInput(timeoutMs: number) {
    this.#throwIfEnded();
    const input = await this.#inputs.next(timeoutMs, this.#o.clock, this.#ended.signal);
    this.#throwIfEnded();
    return input;
  }

  listenFor(phrases: readonly string[] | null, _language: string): void {
    this.#o.recognition?.setGrammar(phrases);
  }

  recordLanguage(language: string): void {
    this.#language = language;
  }

  nowEpochMs(): number {
    return this.#o.clock.now();
  }

  async recordVoicemail(maxMs: number): Promise<'saved' | 'empty' | 'disabled'> {
    const store = this.#o.voicemail;
    if (!store) return 'disabled';
    this.#throwIfEnded();
    const { line, clock, callId, caller, logger } = this.#o;
    await line.play({
      id: VOICEMAIL_BEEP_ID,
      text: '(beep)',
      interruptible: false,
      audio: { samples: BEEP, sampleRate: 8000, timestampMs: 0 },
    });
    this.#throwIfEnded();
    const chunks: Int16Array[] = [];
    // Frames may be reused buffers: copy them.
    const onAudio = (frame: AudioFrame) => chunks.push(Int16Array.from(frame.samples));
    const done = new AbortController();
    const offKey = this.#inputs.onArrival((input) => {
      if (input.kind === 'dtmf' && input.value === '#') done.abort();
    });
    line.events.on('audio', onAudio);
    try {
      // A caller who hangs up has finished the message: it is kept all the same.
      await clock.sleep(maxMs, AbortSignal.any([done.signal, this.#ended.signal]));
    } finally {
      line.events.off('audio', onAudio);
      offKey();
      this.#inputs.clear();
    }
    const samples = concat(chunks);
    if (samples.length < MIN_MESSAGE_SAMPLES) {
      this.#throwIfEnded();
      return 'empty';
    }
    try {
      await store.save({ callId, caller, samples, createdAtMs: clock.now() });
    } catch (error) {
      logger.error({ err: error, callId }, 'voicemail could not be stored');
      this.#throwIfEnded();
      return 'empty';
    }
    this.recordRoute('voicemail');
    this.#throwIfEnded();
    return 'saved';
  }

  nightMode(): boolean {
    return this.#o.nightMode?.() ?? false;
  }

  async transfer(request: TransferRequest): Promise<TransferOutcome> {
    this.#throwIfEnded();
    const outcome = await this.#o.line.transfer(request);
    if (outcome === 'connected') this.#transferred = true;
    else this.#throwIfEnded();
    return outcome;
  }

  recordChoice(choice: Omit<MenuChoice, 'atMs'>): void {
    const full = { ...choice, atMs: this.#atMs() };
    this.#choices.push(full);
    this.#o.events.emit('menu-choice', { callId: this.#o.callId, choice: full });
  }

  recordRoute(route: string, detail: { topic?: string; window?: string } = {}): void {
    // A polite goodbye after a real route (callback, info) does not replace that route.
    if (route === 'hangup' && this.#route !== null) return;
    this.#route = route;
    this.#topic = detail.topic ?? null;
    this.#window = detail.window ?? null;
    this.#o.events.emit('routed', { callId: this.#o.callId, route, atMs: this.#atMs() });
  }

  // --- internals ------------------------------------------------------------------------------

  #attachInputs(): () => void {
    const { line, recognition, callId } = this.#o;
    const minConfidence = this.#o.minSpeechConfidence ?? 0.5;
    const onDtmf = ({ digit }: { digit: import('../line/line-port.js').DtmfDigit }) => {
      const atMs = this.#atMs();
      this.#o.events.emit('input-received', { callId, kind: 'dtmf', value: digit, atMs });
      this.#inputs.push({ kind: 'dtmf', value: digit, atMs });
    };
    const onHangup = ({ cause }: { cause: string }) =>
      this.#end(cause === 'line-fault' ? 'line-fault' : 'caller-hangup');
    const onAudio = (frame: import('../line/line-port.js').AudioFrame) =>
      recognition?.acceptAudio(frame);
    const onSpeech = (result: RecognitionResult) => {
      if (!result.final || result.text.trim() === '') return;
      const atMs = this.#atMs();
      // Something was said but not understood well enough: it counts as a miss, not as silence.
      const text = result.confidence < minConfidence ? '[unk]' : result.text;
      // The transcript stays inside the appliance: events carry it only to local listeners,
      // and the MQTT adapter strips it (see src/status/).
      this.#o.events.emit('input-received', { callId, kind: 'speech', value: text, atMs });
      this.#inputs.push({ kind: 'speech', value: text, confidence: result.confidence, atMs });
    };
    line.events.on('dtmf', onDtmf);
    line.events.on('hangup', onHangup);
    line.events.on('audio', onAudio);
    recognition?.events.on('result', onSpeech);
    return () => {
      line.events.off('dtmf', onDtmf);
      line.events.off('hangup', onHangup);
      line.events.off('audio', onAudio);
      recognition?.events.off('result', onSpeech);
    };
  }

  /** Calls `stop` on the caller's first key or first sound of speech; returns an unsubscribe. */
  #onBargeIn(stop: () => void): () => void {
    const offInput = this.#inputs.onArrival(stop);
    const recognition = this.#o.recognition;
    recognition?.events.on('speech-start', stop);
    return () => {
      offInput();
      recognition?.events.off('speech-start', stop);
    };
  }

  #end(reason: CallEndReason): void {
    if (this.#ended.signal.aborted) return;
    this.#endReason = reason;
    this.#ended.abort();
  }

  #throwIfEnded(): void {
    if (this.#ended.signal.aborted) throw new CallEnded(this.#endReason ?? 'error');
  }

  async #playFinalNotice(): Promise<void> {
    const text = this.#o.maxDurationNotice ?? DEFAULT_MAX_DURATION_NOTICE;
    const outcome = await this.#o.line.play({
      id: 'max-duration',
      text,
      interruptible: false,
      language: this.#language,
    });
    this.#o.events.emit('prompt-played', {
      callId: this.#o.callId,
      promptId: 'max-duration',
      text,
      outcome,
      atMs: this.#atMs(),
    });
  }

  async #audioFor(prompt: Prompt): Promise<AudioFrame | undefined> {
    if (!this.#o.promptAudio) return undefined;
    try {
      return await this.#o.promptAudio.audioFor(prompt);
    } catch (error) {
      // A prompt that cannot be rendered must not end the call: the line plays what it can.
      this.#o.logger.warn({ err: error, promptId: prompt.id }, 'prompt audio unavailable');
      return undefined;
    }
  }

  #atMs(): number {
    return Math.round(this.#o.clock.monotonicNow() - this.#answeredAt);
  }
}
