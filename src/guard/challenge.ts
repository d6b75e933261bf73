import type { CallActions } from '../ivr/call-actions.js';
import { digitWords, spokenDigits } from '../ivr/spoken-digits.js';
import { challengeTexts } from './challenge-texts.js';
import { type RandomSource, randomDigits } from './random-source.js';

export interface ChallengeOptions {
  /** How many digits to press (see FloodGuardSettings.challenge). */
  digits: number;
  attempts: number;
  /** Wait for the first key after the digits were read out, and between keys. */
  timeoutMs: number;
  language: string;
  random: RandomSource;
  /** Whether spoken digits count too (callers whose phone has no keys); needs speech on. */
  speech?: boolean;
}

export interface ChallengeResult {
  passed: boolean;
  attempts: number;
  via: 'dtmf' | 'speech' | null;
}

/** How long after the last digit further keys still count against the answer. */
const EXTRA_KEY_GRACE_MS = 600;

/** Prompt ids, so line adapters, the web page and the simulator can tell challenge prompts. */
export const CHALLENGE_PROMPT_ID = 'guard-challenge';

/**
 * "Press the digits you hear": new random digits on every attempt, read out twice. A person
 * hears them; a bot replaying keys, pressing at random, or pressing while the prompt plays
 * does not get them. An attempt fails when keys are pressed while the digits are read out or
 * more keys follow the answer, so hammering every key does not work either. Runs over CallActions only, after the
 * disclosure and the emergency notice and before the flow's first menu.
 */
export async function runChallenge(
  call: CallActions,
  options: ChallengeOptions,
): Promise<ChallengeResult> {
  const texts = challengeTexts(options.language);
  const { language } = options;
  const listen = options.speech === true;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    const code = randomDigits(options.random, options.digits);
    if (attempt > 1) await call.say(`${CHALLENGE_PROMPT_ID}:retry`, texts.retry, false, language);
    call.clearTypeAhead();
    await call.say(
      CHALLENGE_PROMPT_ID,
      attempt === 1 ? texts.ask(code) : texts.askAgain(code),
      false,
      language,
    );
    // A person listens while the digits are read out; a bot hammering keys does not.
    const pressedWhileListening = call.hasTypeAhead();
    call.clearTypeAhead();
    if (listen) call.listenFor(digitWords(language), language);
    let answer: { value: string; via: 'dtmf' | 'speech' } | null;
    try {
      answer = await readAnswer(call, options, code.length);
    } finally {
      if (listen) call.listenFor(null, language);
    }
    if (!pressedWhileListening && answer && answer.value === code) {
      await call.say(`${CHALLENGE_PROMPT_ID}:passed`, texts.passed, false, language);
      return { passed: true, attempts: attempt, via: answer.via };
    }
  }
  await call.say(`${CHALLENGE_PROMPT_ID}:failed`, texts.failed, false, language);
  return { passed: false, attempts: options.attempts, via: null };
}

/** Keys until `length` digits (or #), or one utterance of digits; null on silence. */
async function readAnswer(
  call: CallActions,
  options: ChallengeOptions,
  length: number,
): Promise<{ value: string; via: 'dtmf' | 'speech' } | null> {
  let keys = '';
  while (keys.length < length) {
    const input = await call.waitForInput(options.timeoutMs);
    if (!input) return keys === '' ? null : { value: keys, via: 'dtmf' };
    if (input.kind === 'speech') {
      if (keys !== '') return { value: keys, via: 'dtmf' };
      const spoken = spokenDigits(input.value, options.language);
      return { value: spoken ?? '', via: 'speech' };
    }
    if (input.value === '#') return { value: keys, via: 'dtmf' };
    keys += input.value;
  }
  // More keys right after the last digit are a bot pressing at random, not a person.
  const extra = await call.waitForInput(EXTRA_KEY_GRACE_MS);
  if (extra && !(extra.kind === 'dtmf' && extra.value === '#')) return { value: '', via: 'dtmf' };
  return { value: keys, via: 'dtmf' };
}
