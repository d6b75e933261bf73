import type { DtmfDigit, PlayOutcome, Prompt, TransferOutcome } from '../../line/line-port.js';
import type { SimulatedFarEnd, SimulatedLine } from '../../line/simulated/simulated-line.js';
import type { Clock } from '../../shared/clock.js';
import { CHALLENGE_PROMPT_ID } from '../challenge.js';
import { type RandomSource, randomDigits } from '../random-source.js';

const KEY_GAP_MS = 180;

/** The digits a listener hears in a challenge prompt ("…you hear: 4, 7, 2. Once more…"). */
export function heardDigits(text: string): string | null {
  const match = /(\d(?:, \d)*)\./.exec(text);
  return match ? match[1]!.replaceAll(', ', '') : null;
}

abstract class ScriptedFarEnd implements SimulatedFarEnd {
  protected readonly line: SimulatedLine;
  protected readonly clock: Clock;
  protected gone = new AbortController();
  #busy = Promise.resolve();

  constructor(line: SimulatedLine, clock: Clock) {
    this.line = line;
    this.clock = clock;
  }

  onAnswered(): void {}
  onPromptStarted(_prompt: Prompt): void {}
  abstract onPromptEnded(prompt: Prompt, outcome: PlayOutcome): void;

  transferOutcome(): TransferOutcome {
    return 'connected';
  }

  onHungUp(): void {
    this.gone.abort();
  }

  /** False once this call is over (a transfer ends it without a hang-up notice). */
  protected onTheLine(): boolean {
    const state = this.line.state();
    if (state === 'connected' || state === 'transferring') return !this.gone.signal.aborted;
    this.gone.abort();
    return false;
  }

  /** Presses keys one after another after `delayMs`; presses queue behind each other. */
  protected press(keys: string, delayMs: number): void {
    this.#busy = this.#busy.then(async () => {
      if ((await this.clock.sleep(delayMs, this.gone.signal)) === 'aborted') return;
      for (const key of keys) {
        if (!this.onTheLine()) return;
        this.line.farEndPresses(key as DtmfDigit);
        if ((await this.clock.sleep(KEY_GAP_MS, this.gone.signal)) === 'aborted') return;
      }
    });
  }
}

/**
 * A person: listens to the challenge and presses the digits read out, after a human reaction
 * time; in menus presses the next key of their script once a prompt has finished.
 */
export class HumanCaller extends ScriptedFarEnd {
  readonly #menuKeys: string[];
  readonly #reactMs: number;
  challengesHeard = 0;

  constructor(line: SimulatedLine, clock: Clock, options: { menuKeys: string[]; reactMs: number }) {
    super(line, clock);
    this.#menuKeys = [...options.menuKeys];
    this.#reactMs = options.reactMs;
  }

  onPromptEnded(prompt: Prompt, outcome: PlayOutcome): void {
    if (outcome !== 'completed') return;
    if (prompt.id === CHALLENGE_PROMPT_ID) {
      this.challengesHeard++;
      const digits = heardDigits(prompt.text);
      if (digits) this.press(digits, this.#reactMs);
      return;
    }
    if (!prompt.interruptible) return;
    const keys = this.#menuKeys.shift();
    if (keys) this.press(keys, this.#reactMs);
  }
}

export type BotStrategy = 'silent' | 'fixed' | 'random' | 'spam' | 'replay';
export const BOT_STRATEGIES: readonly BotStrategy[] = [
  'silent',
  'fixed',
  'random',
  'spam',
  'replay',
];

/**
 * An automated caller that does not understand speech: it stays silent, presses the same keys
 * every time, presses random keys, hammers keys all through the prompts, or replays the digits
 * of a challenge recorded on an earlier call.
 */
export class BotCaller extends ScriptedFarEnd {
  readonly #strategy: BotStrategy;
  readonly #random: RandomSource;
  readonly #keys: string;
  #spamming = false;

  constructor(
    line: SimulatedLine,
    clock: Clock,
    options: { strategy: BotStrategy; random: RandomSource; keys: string },
  ) {
    super(line, clock);
    this.#strategy = options.strategy;
    this.#random = options.random;
    this.#keys = options.keys;
  }

  override onPromptStarted(_prompt: Prompt): void {
    if (this.#strategy !== 'spam' || this.#spamming) return;
    this.#spamming = true;
    void this.#spam();
  }

  onPromptEnded(prompt: Prompt, outcome: PlayOutcome): void {
    if (outcome === 'hangup') return;
    const wantsInput = prompt.interruptible || prompt.id === CHALLENGE_PROMPT_ID;
    if (!wantsInput) return;
    const delay = 200 + Math.floor(this.#random() * 600);
    switch (this.#strategy) {
      case 'silent':
      case 'spam':
        return;
      case 'fixed':
      case 'replay':
        this.press(this.#keys, delay);
        return;
      case 'random':
        this.press(randomDigits(this.#random, this.#keys.length), delay);
        return;
    }
  }

  async #spam(): Promise<void> {
    const keys = '0123456789*#';
    while (this.onTheLine()) {
      const key = keys[Math.floor(this.#random() * keys.length)]!;
      this.line.farEndPresses(key as DtmfDigit);
      if ((await this.clock.sleep(KEY_GAP_MS, this.gone.signal)) === 'aborted') return;
    }
  }
}
