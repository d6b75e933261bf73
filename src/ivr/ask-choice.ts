import type { CallerInput } from '../call/caller-input-queue.js';
import type { FlowContext } from './flow-context.js';
import { PERSON_KEY, REPEAT_KEY } from './flow-graph-checks.js';
import type { Choice, RetrySettings, Text } from './flow-schema.js';
import { allPhrases } from './localized.js';
import { matchPhrase } from './speech-match.js';

export type AskOutcome =
  | { kind: 'option'; name: string; via: 'dtmf' | 'speech' }
  | { kind: 'person'; via: 'dtmf' | 'speech' }
  | { kind: 'failed' };

const MAX_FREE_REPEATS = 3;

export interface Question {
  id: string;
  /** Spoken before listening; a function for prompts that depend on the attempt. */
  prompt: (ctx: FlowContext) => Promise<void>;
  options: Record<string, Choice>;
  retry: RetrySettings;
  /** Match phrases of every language (language choice: callers say their own language's name). */
  anyLanguage?: boolean;
}

/**
 * Asks until the caller picks an option, asks for a person, or runs out of tries. Shared by
 * menus, the language choice and the callback time window, so every question in a flow
 * behaves the same: type-ahead, barge-in, "0"/"reception", "*"/"repeat", apologies, retries.
 */
export async function askChoice(ctx: FlowContext, q: Question): Promise<AskOutcome> {
  const { call } = ctx;
  const { attempts, timeoutMs, noInput, noMatch } = ctx.retrySettings(q.retry);
  const phraseOf = (c: Choice) => (q.anyLanguage ? allPhrases(c.speech) : ctx.phrases(c.speech));
  const globals = ctx.globals();
  call.listenFor(
    [...Object.values(q.options).flatMap(phraseOf), ...globals.person, ...globals.repeat],
    ctx.language,
  );

  let failures = 0;
  let repeats = 0;
  let apology: Text | null = null;
  try {
    while (failures < attempts) {
      if (!call.hasTypeAhead()) {
        if (apology) await ctx.say(`${q.id}:retry`, apology, true);
        if (!call.hasTypeAhead()) await q.prompt(ctx);
      }
      const input = await call.waitForInput(timeoutMs);
      if (!input) {
        failures++;
        apology = noInput;
        continue;
      }
      const outcome = classify(ctx, q, input, phraseOf);
      if (outcome === 'repeat') {
        // Repeats are free up to a point; past it they count like any other miss.
        if (++repeats > MAX_FREE_REPEATS) failures++;
        apology = null;
        continue;
      }
      if (outcome === 'no-match') {
        failures++;
        call.clearTypeAhead();
        apology = noMatch;
        continue;
      }
      return outcome;
    }
  } finally {
    call.listenFor(null, ctx.language);
  }
  return { kind: 'failed' };
}

function classify(
  ctx: FlowContext,
  q: Question,
  input: CallerInput,
  phraseOf: (c: Choice) => string[],
): AskOutcome | 'repeat' | 'no-match' {
  if (input.kind === 'dtmf') {
    if (input.value === PERSON_KEY) return { kind: 'person', via: 'dtmf' };
    if (input.value === REPEAT_KEY) return 'repeat';
    const hit = Object.entries(q.options).find(([, o]) => o.dtmf === input.value);
    return hit ? { kind: 'option', name: hit[0], via: 'dtmf' } : 'no-match';
  }
  const globals = ctx.globals();
  const label = matchPhrase(input.value, [
    ...Object.entries(q.options).map(([name, o]) => ({
      label: `option:${name}`,
      phrases: phraseOf(o),
    })),
    { label: 'global:person', phrases: globals.person },
    { label: 'global:repeat', phrases: globals.repeat },
  ]);
  if (label === 'global:person') return { kind: 'person', via: 'speech' };
  if (label === 'global:repeat') return 'repeat';
  if (label?.startsWith('option:')) return { kind: 'option', name: label.slice(7), via: 'speech' };
  return 'no-match';
}
