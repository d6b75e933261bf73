import type { FlowContext } from './flow-context.js';
import type { CollectNode } from './flow-schema.js';
import { matchPhrase } from './speech-match.js';
import { digitWords, spokenDigits } from './spoken-digits.js';

export type CollectOutcome =
  | { kind: 'digits'; value: string }
  | { kind: 'person' }
  | { kind: 'failed' };

const DEFAULT_INTER_DIGIT_SECONDS = 3;

/**
 * Collects a number by keys or by voice ("four one five"). Entry ends at the terminator, at
 * maxDigits, or after a pause; it is then checked for length and pattern. Key 0 is a digit
 * here, so a person is reached by saying "reception" or after the last failed try.
 */
export async function collectDigits(
  ctx: FlowContext,
  id: string,
  node: CollectNode,
): Promise<CollectOutcome> {
  const { call } = ctx;
  const { attempts, timeoutMs, noInput, noMatch } = ctx.retrySettings(node);
  const terminator = node.terminator ?? '#';
  const interDigitMs = (node.interDigitSeconds ?? DEFAULT_INTER_DIGIT_SECONDS) * 1000;
  const pattern = node.pattern ? new RegExp(`^(?:${node.pattern})$`) : null;
  const globals = ctx.globals();
  call.listenFor([...digitWords(ctx.language), ...globals.person, ...globals.repeat], ctx.language);

  let failures = 0;
  let apology = null as typeof noInput | null;
  try {
    while (failures < attempts) {
      if (!call.hasTypeAhead()) {
        if (apology) await ctx.say(`${id}:retry`, apology, true);
        if (!call.hasTypeAhead()) await ctx.say(id, node.prompt, true);
      }
      let digits = '';
      let input = await call.waitForInput(timeoutMs);
      if (!input) {
        failures++;
        apology = noInput;
        continue;
      }
      let repeat = false;
      while (input) {
        if (input.kind === 'speech') {
          const spoken = spokenDigits(input.value, ctx.language);
          if (spoken !== null) digits += spoken;
          else {
            const label = matchPhrase(input.value, [
              { label: 'person', phrases: globals.person },
              { label: 'repeat', phrases: globals.repeat },
            ]);
            if (label === 'person') return { kind: 'person' };
            repeat = label === 'repeat';
            break;
          }
        } else if (input.value === terminator) {
          break;
        } else if (/^\d$/.test(input.value)) {
          digits += input.value;
        } else if (input.value === '*') {
          // * starts the entry again, as callers expect from other phone systems.
          repeat = true;
          break;
        } else {
          digits = '';
          break;
        }
        if (digits.length >= node.maxDigits) break;
        input = await call.waitForInput(interDigitMs);
      }
      if (repeat) {
        apology = null;
        call.clearTypeAhead();
        continue;
      }
      if (
        digits.length >= (node.minDigits ?? 1) &&
        digits.length <= node.maxDigits &&
        (!pattern || pattern.test(digits))
      ) {
        return { kind: 'digits', value: digits };
      }
      failures++;
      call.clearTypeAhead();
      apology = noMatch;
    }
  } finally {
    call.listenFor(null, ctx.language);
  }
  return { kind: 'failed' };
}
