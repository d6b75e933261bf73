import { VOICEMAIL_BEEP_ID } from '../../call/call-session.js';
import type { Clock } from '../../shared/clock.js';
import type { SimulatedRecognizer } from '../../speech/simulated/simulated-recognizer.js';
import { isDtmfDigit, type PlayOutcome, type Prompt, type TransferOutcome } from '../line-port.js';
import type { SimulatedFarEnd, SimulatedLine } from './simulated-line.js';

/**
 * One thing the caller does when asked: press keys, say something (as recognised text), send a
 * recording (keys in it are detected, speech goes to the recogniser), stay silent, or hang up.
 */
export type CallerStep =
  | { kind: 'dtmf'; digits: string }
  | { kind: 'say'; text: string; confidence?: number }
  | { kind: 'audio'; samples: Int16Array; label?: string }
  | { kind: 'silence' }
  | { kind: 'hangup' };

export interface CallerScript {
  steps: CallerStep[];
  /** How long the caller takes to react after a prompt that asks for input. */
  thinkMs?: number;
  /** Hang up this long after the line answers (an impatient caller), if set. */
  hangupAfterMs?: number;
  /** React while a menu prompt is still playing (a regular caller), not after it ends. */
  bargeIn?: boolean;
  /** Whether someone picks up when the call is transferred (default: yes). */
  personAnswers?: boolean;
}

const INTER_DIGIT_MS = 180;

/**
 * A scripted caller on the simulated line. After each prompt that can be interrupted (menus ask
 * with those), it performs its next step: keys are pressed one after another, speech goes to the
 * simulated recogniser. With no steps left it stays silent, as a confused caller would.
 */
export class SimulatedCaller implements SimulatedFarEnd {
  readonly #line: SimulatedLine;
  readonly #recognizer: SimulatedRecognizer | null;
  readonly #clock: Clock;
  readonly #script: CallerScript;
  readonly #steps: CallerStep[];
  #busy = false;
  /** A prompt asked for input while the caller was still pressing keys: answer it next. */
  #deferred = false;
  #gone = new AbortController();

  constructor(
    line: SimulatedLine,
    recognizer: SimulatedRecognizer | null,
    clock: Clock,
    script: CallerScript,
  ) {
    for (const step of script.steps) {
      if (step.kind === 'dtmf') {
        const bad = [...step.digits].find((d) => !isDtmfDigit(d));
        if (bad !== undefined)
          throw new RangeError(`"${bad}" is not a DTMF key; use 0-9, *, #, A-D`);
      }
    }
    this.#line = line;
    this.#recognizer = recognizer;
    this.#clock = clock;
    this.#script = script;
    this.#steps = [...script.steps];
  }

  onAnswered(): void {
    const after = this.#script.hangupAfterMs;
    if (after !== undefined) {
      void this.#clock.sleep(after, this.#gone.signal).then((r) => {
        if (r === 'timeout') this.#line.farEndHangsUp();
      });
    }
  }

  onPromptStarted(prompt: Prompt): void {
    if (this.#script.bargeIn && prompt.interruptible) this.#next();
  }

  onPromptEnded(prompt: Prompt, outcome: PlayOutcome): void {
    // Callers act when asked: after a question, or after the beep that starts a message.
    const cue = prompt.interruptible || prompt.id === VOICEMAIL_BEEP_ID;
    if (!this.#script.bargeIn && cue && outcome === 'completed') this.#next();
  }

  #next(): void {
    if (this.#busy) {
      this.#deferred = true;
      return;
    }
    const step = this.#steps.shift();
    if (step) void this.#perform(step);
  }

  transferOutcome(): TransferOutcome {
    return this.#script.personAnswers === false ? 'no-answer' : 'connected';
  }

  onHungUp(): void {
    this.#gone.abort();
  }

  async #perform(step: CallerStep): Promise<void> {
    this.#busy = true;
    try {
      if ((await this.#clock.sleep(this.#script.thinkMs ?? 800, this.#gone.signal)) === 'aborted')
        return;
      if (step.kind === 'say') {
        this.#recognizer?.hear(step.text, step.confidence ?? 0.9);
        return;
      }
      if (step.kind === 'silence') return;
      if (step.kind === 'hangup') {
        this.#line.farEndHangsUp();
        return;
      }
      if (step.kind === 'audio') {
        await this.#line.farEndSendsAudio(step.samples);
        return;
      }
      for (const digit of step.digits) {
        this.#line.farEndPresses(digit as Parameters<SimulatedLine['farEndPresses']>[0]);
        if ((await this.#clock.sleep(INTER_DIGIT_MS, this.#gone.signal)) === 'aborted') return;
      }
    } finally {
      this.#busy = false;
      if (this.#deferred) {
        this.#deferred = false;
        this.#next();
      }
    }
  }
}
