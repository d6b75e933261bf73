import type { CallerInput } from '../call/caller-input-queue.js';
import type { CallActions } from './call-actions.js';
import { PERSON_KEY, REPEAT_KEY } from './flow-graph-checks.js';
import type { Flow, FlowNode, MenuNode } from './flow-schema.js';
import { globalPhrases } from './global-phrases.js';
import { matchPhrase } from './speech-match.js';

export const DEFAULT_RETRIES = 2;
export const DEFAULT_TIMEOUT_SECONDS = 6;
export const DEFAULT_NO_INPUT = 'Sorry, I did not hear anything.';
export const DEFAULT_NO_MATCH = 'Sorry, I did not understand that.';
const DEFAULT_TRANSFER_TIMEOUT_SECONDS = 30;
/** A flow cannot trap a caller forever even if a check was missed: after this, a person. */
const MAX_STEPS = 100;
const MAX_REPEATS = 3;

export type FlowEnd = 'hangup' | 'transferred';

type MenuOutcome =
  | { kind: 'option'; name: string; via: 'dtmf' | 'speech' }
  | { kind: 'person'; via: 'dtmf' | 'speech' }
  | { kind: 'repeat' }
  | { kind: 'no-match' };

/** Interprets a checked flow against one call. Pure: it knows the call only through CallActions. */
export class FlowRunner {
  readonly #flow: Flow;
  readonly #call: CallActions;
  readonly #phrases: ReturnType<typeof globalPhrases>;

  constructor(flow: Flow, call: CallActions) {
    this.#flow = flow;
    this.#call = call;
    this.#phrases = globalPhrases(flow.language);
  }

  async run(): Promise<FlowEnd> {
    let id = this.#flow.start;
    for (let step = 0; step < MAX_STEPS; step++) {
      const node = this.#flow.nodes[id]!;
      const outcome = await this.#runNode(id, node);
      if (outcome === 'hangup' || outcome === 'transferred') return outcome;
      id = outcome.next;
    }
    // Unreachable with a checked flow; kept so a logic error still ends with a person.
    const person = this.#flow.nodes[this.#flow.person]!;
    const outcome = await this.#runNode(this.#flow.person, person);
    return outcome === 'transferred' ? 'transferred' : 'hangup';
  }

  async #runNode(id: string, node: FlowNode): Promise<FlowEnd | { next: string }> {
    const call = this.#call;
    switch (node.type) {
      case 'say':
        await call.say(id, node.text, true);
        return { next: node.next };
      case 'info':
        call.recordRoute('info', node.topic);
        await call.say(id, node.text, true);
        return { next: node.next };
      case 'callback':
        call.recordRoute('callback', node.topic);
        await call.say(id, node.prompt, false);
        return { next: node.next };
      case 'menu':
        return { next: await this.#runMenu(id, node) };
      case 'transfer': {
        if (node.prompt) await call.say(id, node.prompt, false);
        const result = await call.transfer({
          target: node.target,
          method: node.method ?? 'relay',
          ...(node.extension ? { extension: node.extension } : {}),
          answerTimeoutMs: (node.answerTimeoutSeconds ?? DEFAULT_TRANSFER_TIMEOUT_SECONDS) * 1000,
        });
        if (result === 'connected') {
          call.recordRoute(`transfer:${node.target}`);
          return 'transferred';
        }
        return { next: node.onNoAnswer };
      }
      case 'hangup':
        call.recordRoute('hangup');
        if (node.prompt) await call.say(id, node.prompt, false);
        return 'hangup';
    }
  }

  async #runMenu(id: string, node: MenuNode): Promise<string> {
    const call = this.#call;
    const defaults = this.#flow.defaults ?? {};
    const attempts = (node.retries ?? defaults.retries ?? DEFAULT_RETRIES) + 1;
    const timeoutMs =
      (node.timeoutSeconds ?? defaults.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    call.listenFor(this.#menuPhrases(node));

    let failures = 0;
    let repeats = 0;
    let apology: string | null = null;
    try {
      while (failures < attempts) {
        if (!call.hasTypeAhead()) {
          if (apology) await call.say(`${id}:retry`, apology, true);
          if (!call.hasTypeAhead()) await call.say(id, node.prompt, true);
        }
        const input = await call.waitForInput(timeoutMs);
        if (!input) {
          failures++;
          apology = node.noInput ?? defaults.noInput ?? DEFAULT_NO_INPUT;
          continue;
        }
        const outcome = this.#classify(node, input);
        switch (outcome.kind) {
          case 'option':
            call.recordChoice({ node: id, option: outcome.name, via: outcome.via });
            return node.options[outcome.name]!.next;
          case 'person':
            call.recordChoice({ node: id, option: 'person', via: outcome.via });
            return this.#flow.person;
          case 'repeat':
            // Repeats are free up to a point; past it they count like any other miss.
            if (++repeats > MAX_REPEATS) failures++;
            apology = null;
            continue;
          case 'no-match':
            failures++;
            call.clearTypeAhead();
            apology = node.noMatch ?? defaults.noMatch ?? DEFAULT_NO_MATCH;
            continue;
        }
      }
    } finally {
      call.listenFor(null);
    }
    const fallback = node.onFailure ?? this.#flow.person;
    call.recordChoice({
      node: id,
      option: fallback === this.#flow.person ? 'person' : 'failure',
      via: 'default',
    });
    return fallback;
  }

  #classify(node: MenuNode, input: CallerInput): MenuOutcome {
    if (input.kind === 'dtmf') {
      if (input.value === PERSON_KEY) return { kind: 'person', via: 'dtmf' };
      if (input.value === REPEAT_KEY) return { kind: 'repeat' };
      const hit = Object.entries(node.options).find(([, o]) => o.dtmf === input.value);
      return hit ? { kind: 'option', name: hit[0], via: 'dtmf' } : { kind: 'no-match' };
    }
    const label = matchPhrase(input.value, [
      ...Object.entries(node.options).map(([name, o]) => ({
        label: `option:${name}`,
        phrases: o.speech ?? [],
      })),
      { label: 'global:person', phrases: this.#phrases.person },
      { label: 'global:repeat', phrases: this.#phrases.repeat },
    ]);
    if (label === 'global:person') return { kind: 'person', via: 'speech' };
    if (label === 'global:repeat') return { kind: 'repeat' };
    if (label?.startsWith('option:'))
      return { kind: 'option', name: label.slice(7), via: 'speech' };
    return { kind: 'no-match' };
  }

  #menuPhrases(node: MenuNode): string[] {
    return [
      ...Object.values(node.options).flatMap((o) => o.speech ?? []),
      ...this.#phrases.person,
      ...this.#phrases.repeat,
    ];
  }
}
