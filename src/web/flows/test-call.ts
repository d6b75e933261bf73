import { randomUUID } from 'node:crypto';
import type { CallEvents } from '../../call/call-events.js';
import type { CallRecord } from '../../call/call-record.js';
import { CallSession } from '../../call/call-session.js';
import type { Flow } from '../../ivr/flow-schema.js';
import type { DtmfDigit, PlayOutcome, Prompt, TransferOutcome } from '../../line/line-port.js';
import { type SimulatedFarEnd, SimulatedLine } from '../../line/simulated/simulated-line.js';
import type { PromptAudio } from '../../prompts/prompt-audio-port.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import { SimulatedRecognizer } from '../../speech/simulated/simulated-recognizer.js';

export interface TestCallSettings {
  clock: Clock;
  logger: Logger;
  /** The appliance's emergency notice, so a test call sounds like a real one. */
  emergencyNotice: string | Record<string, string> | null;
  maxCallMs: number;
  /** Offline text-to-speech (the prompt cache); null: transcript only. */
  promptAudio: PromptAudio | null;
  /** False when the appliance's speech engine is off: callers can only press keys. */
  speech: boolean;
  minSpeechConfidence?: number;
  nightMode?: () => boolean;
}

export type TranscriptKind = 'prompt' | 'pressed' | 'said' | 'heard' | 'choice' | 'route';

export interface TranscriptEntry {
  n: number;
  kind: TranscriptKind;
  text: string;
  /** Prompts: the id the session gave it (the node, or disclosure, `<node>:retry`, ...). */
  promptId?: string;
  language?: string;
  /** Prompts: `playing` until the line says how it ended. */
  outcome?: 'playing' | PlayOutcome;
  /** Prompts: whether /audio/<n> has sound for it. */
  audio?: boolean;
}

export type TestCallState = 'ringing' | 'connected' | 'transferring' | 'ended';

export interface TestCallView {
  id: string;
  state: TestCallState;
  /** The prompt playing or last played: which node the caller is at. */
  stage: string | null;
  route: string | null;
  endReason: string | null;
  speech: boolean;
  endsAtMs: number;
  entries: TranscriptEntry[];
}

/** A transcript cannot grow without bound even if a flow keeps asking. */
const MAX_ENTRIES = 400;
/** A person answers a transfer on the test line: the call ends at the transfer, as it would. */
const TEST_PERSON_ANSWERS: TransferOutcome = 'connected';

/**
 * One test call from the admin page: the real CallSession and FlowRunner on a simulated line of
 * its own, with its own simulated recogniser. Nothing reaches the appliance's line, relays,
 * MQTT, call log or call events: the session's events go to this object only, and the record
 * it returns is kept here and dropped with the call.
 */
export class TestCall implements SimulatedFarEnd {
  readonly id = randomUUID();
  readonly owner: string;
  readonly startedAtMs: number;
  #lastSeenMs: number;
  endedAtMs: number | null = null;
  readonly #settings: TestCallSettings;
  readonly #flow: Flow;
  readonly #line: SimulatedLine;
  readonly #recognizer = new SimulatedRecognizer();
  readonly #events = new TypedEmitter<CallEvents>();
  readonly #entries: TranscriptEntry[] = [];
  readonly #audio = new Map<number, Int16Array>();
  #playing: TranscriptEntry | null = null;
  #stage: string | null = null;
  #record: CallRecord | null = null;
  #failed = false;
  #done: Promise<void> = Promise.resolve();

  constructor(flow: Flow, owner: string, settings: TestCallSettings) {
    this.#flow = flow;
    this.owner = owner;
    this.#settings = settings;
    this.#line = new SimulatedLine(settings.clock);
    this.startedAtMs = settings.clock.now();
    this.#lastSeenMs = this.startedAtMs;
    this.#events.setListenerErrorHandler((event, error) =>
      settings.logger.warn({ err: error, event }, 'test call transcript listener failed'),
    );
    this.#events.on('input-received', (e) =>
      this.#add(e.kind === 'dtmf' ? 'pressed' : 'heard', e.value),
    );
    this.#events.on('menu-choice', ({ choice }) =>
      this.#add('choice', `${choice.node}: ${choice.option} (${choice.via})`),
    );
    this.#events.on('routed', (e) => this.#add('route', e.route));
  }

  /** Rings the test line; the session answers on the first ring, as `answerOnRing: 1` would. */
  async start(): Promise<void> {
    const s = this.#settings;
    await this.#line.start();
    this.#line.events.once('ring', () => {
      const session = new CallSession({
        callId: this.id,
        caller: { hash: null, hint: null, withheld: 'private' },
        flow: this.#flow,
        line: this.#line,
        recognition: s.speech ? this.#recognizer.createSession({ sampleRate: 8000 }) : null,
        clock: s.clock,
        events: this.#events,
        logger: s.logger.child({ testCall: this.id }),
        emergencyNotice: s.emergencyNotice,
        maxCallMs: s.maxCallMs,
        // A test call never records anybody.
        voicemail: null,
        promptAudio: s.promptAudio,
        ...(s.nightMode ? { nightMode: s.nightMode } : {}),
        ...(s.minSpeechConfidence !== undefined
          ? { minSpeechConfidence: s.minSpeechConfidence }
          : {}),
      });
      this.#done = session
        .run()
        .then((record) => {
          this.#record = record;
        })
        .catch((error: unknown) => {
          this.#failed = true;
          s.logger.error({ err: error, testCall: this.id }, 'test call failed');
        })
        .finally(() => {
          this.endedAtMs = s.clock.now();
          void this.#line.stop();
        });
    });
    const answered = await this.#line.placeCall(this, { withheld: 'private' }, 1);
    if (answered === 'missed') {
      this.endedAtMs = s.clock.now();
      this.#failed = true;
    }
  }

  /** Resolves once the session has ended and the line is down. */
  async settled(): Promise<void> {
    await this.#done;
  }

  press(digit: DtmfDigit): boolean {
    if (this.#line.state() !== 'connected') return false;
    this.#line.farEndPresses(digit);
    return true;
  }

  /** Speech goes through the recogniser, which hears only the words of the active menu. */
  say(text: string): boolean {
    if (!this.#settings.speech || this.#line.state() !== 'connected') return false;
    this.#add('said', text);
    this.#recognizer.hear(text, 0.9);
    return true;
  }

  hangUp(): void {
    this.#line.farEndHangsUp();
    if (this.endedAtMs === null && this.#line.state() !== 'idle') void this.#line.stop();
  }

  /** Sound of a prompt in the transcript, or null when it had none. */
  audio(n: number): Int16Array | null {
    return this.#audio.get(n) ?? null;
  }

  touch(): void {
    this.#lastSeenMs = this.#settings.clock.now();
  }

  lastSeenMs(): number {
    return this.#lastSeenMs;
  }

  view(): TestCallView {
    const state: TestCallState =
      this.endedAtMs !== null
        ? 'ended'
        : (this.#line.state() as string) === 'transferring'
          ? 'transferring'
          : this.#line.state() === 'connected'
            ? 'connected'
            : 'ringing';
    return {
      id: this.id,
      state,
      stage: this.#stage,
      route: this.#record?.route ?? null,
      endReason: this.#record?.endReason ?? (this.#failed ? 'error' : null),
      speech: this.#settings.speech,
      endsAtMs: this.startedAtMs + this.#settings.maxCallMs,
      entries: this.#entries.map((e) => ({ ...e })),
    };
  }

  // --- SimulatedFarEnd: what the test line tells the "caller" (the browser) ----------------

  onAnswered(): void {}

  onPromptStarted(prompt: Prompt): void {
    this.#stage = prompt.id;
    const entry = this.#add('prompt', prompt.text, {
      promptId: prompt.id,
      ...(prompt.language ? { language: prompt.language } : {}),
      outcome: 'playing',
      audio: prompt.audio !== undefined,
    });
    if (entry && prompt.audio) this.#audio.set(entry.n, prompt.audio.samples);
    this.#playing = entry;
  }

  onPromptEnded(_prompt: Prompt, outcome: PlayOutcome): void {
    if (this.#playing) this.#playing.outcome = outcome;
    this.#playing = null;
  }

  transferOutcome(): TransferOutcome {
    return TEST_PERSON_ANSWERS;
  }

  onHungUp(): void {}

  #add(
    kind: TranscriptKind,
    text: string,
    extra: Partial<TranscriptEntry> = {},
  ): TranscriptEntry | null {
    if (this.#entries.length >= MAX_ENTRIES) return null;
    const entry: TranscriptEntry = { n: this.#entries.length, kind, text, ...extra };
    this.#entries.push(entry);
    return entry;
  }
}
