import { askChoice } from './ask-choice.js';
import { isOpen } from './business-hours.js';
import type { CallActions } from './call-actions.js';
import { collectDigits } from './collect-digits.js';
import { FlowContext } from './flow-context.js';
import type { CallbackNode, Flow, FlowNode, LanguageNode, MenuNode } from './flow-schema.js';
import { textFor } from './localized.js';

const DEFAULT_TRANSFER_TIMEOUT_SECONDS = 30;
const DEFAULT_VOICEMAIL_SECONDS = 60;
/** A flow cannot trap a caller forever even if a check was missed: after this, a person. */
const MAX_STEPS = 100;

export type FlowEnd = 'hangup' | 'transferred';
type Step = FlowEnd | { next: string };

/**
 * Interprets a checked flow against one call. Pure and deterministic: it knows the call only
 * through CallActions (which carries the clock), so tests run it on a simulated line.
 */
export class FlowRunner {
  readonly #ctx: FlowContext;

  constructor(flow: Flow, call: CallActions) {
    this.#ctx = new FlowContext(flow, call);
  }

  async run(): Promise<FlowEnd> {
    const { flow } = this.#ctx;
    let id = flow.start;
    for (let step = 0; step < MAX_STEPS; step++) {
      const outcome = await this.#runNode(id, flow.nodes[id]!);
      if (outcome === 'hangup' || outcome === 'transferred') return outcome;
      id = outcome.next;
    }
    const outcome = await this.#runNode(flow.person, flow.nodes[flow.person]!);
    return outcome === 'transferred' ? 'transferred' : 'hangup';
  }

  async #runNode(id: string, node: FlowNode): Promise<Step> {
    const ctx = this.#ctx;
    const { call } = ctx;
    switch (node.type) {
      case 'say':
        await ctx.say(id, node.text, true);
        return { next: node.next };
      case 'info':
        call.recordRoute('info', { topic: node.topic });
        await ctx.say(id, node.text, true);
        return { next: node.next };
      case 'callback':
        return this.#callback(id, node);
      case 'menu':
        return this.#menu(id, node);
      case 'language':
        return this.#language(id, node);
      case 'collect': {
        const result = await collectDigits(ctx, id, node);
        if (result.kind === 'digits') {
          ctx.variables.set(node.into, result.value);
          // The digits themselves stay in the call's memory: they may be personal data.
          call.recordChoice({ node: id, option: 'entered', via: 'dtmf' });
          return { next: node.next };
        }
        call.recordChoice({
          node: id,
          option: result.kind === 'person' ? 'person' : 'failure',
          via: result.kind === 'person' ? 'speech' : 'default',
        });
        return {
          next: result.kind === 'person' ? ctx.flow.person : (node.onFailure ?? ctx.flow.person),
        };
      }
      case 'hours':
        return {
          next: !call.nightMode() && isOpen(node, call.nowEpochMs()) ? node.open : node.closed,
        };
      case 'transfer': {
        if (node.prompt) await ctx.say(id, node.prompt, false);
        const extension = node.extension?.startsWith('$')
          ? ctx.variables.get(node.extension.slice(1))
          : node.extension;
        const result = await call.transfer({
          target: node.target,
          method: node.method ?? 'relay',
          ...(extension ? { extension } : {}),
          answerTimeoutMs: (node.answerTimeoutSeconds ?? DEFAULT_TRANSFER_TIMEOUT_SECONDS) * 1000,
        });
        if (result === 'connected') {
          call.recordRoute(`transfer:${node.target}`);
          return 'transferred';
        }
        return { next: node.onNoAnswer };
      }
      case 'voicemail': {
        await ctx.say(id, node.prompt, false);
        // The session records the route once the message is safely stored.
        await call.recordVoicemail((node.maxSeconds ?? DEFAULT_VOICEMAIL_SECONDS) * 1000);
        return { next: node.next };
      }
      case 'hangup':
        call.recordRoute('hangup');
        if (node.prompt) await ctx.say(id, node.prompt, false);
        return 'hangup';
    }
  }

  async #menu(id: string, node: MenuNode): Promise<Step> {
    const ctx = this.#ctx;
    const outcome = await askChoice(ctx, {
      id,
      prompt: (c) => c.say(id, node.prompt, true).then(() => {}),
      options: node.options,
      retry: node,
    });
    if (outcome.kind === 'option') {
      ctx.call.recordChoice({ node: id, option: outcome.name, via: outcome.via });
      return { next: node.options[outcome.name]!.next };
    }
    return this.#toPersonOrFailure(id, outcome, node.onFailure);
  }

  async #language(id: string, node: LanguageNode): Promise<Step> {
    const ctx = this.#ctx;
    const outcome = await askChoice(ctx, {
      id,
      // Each caller must hear the choice in their own language: play every version in turn.
      prompt: async (c) => {
        for (const language of Object.keys(node.options)) {
          await c.call.say(
            `${id}:${language}`,
            textFor(node.prompt, language, c.flow.language),
            true,
            language,
          );
          if (c.call.hasTypeAhead()) return;
        }
      },
      options: node.options,
      retry: node,
      anyLanguage: true,
    });
    if (outcome.kind === 'option') {
      ctx.setLanguage(outcome.name);
      ctx.call.recordChoice({ node: id, option: outcome.name, via: outcome.via });
      return { next: node.next };
    }
    if (outcome.kind === 'person') return this.#toPersonOrFailure(id, outcome, undefined);
    // No choice made: carry on in the flow's first language rather than drop the caller.
    ctx.call.recordChoice({ node: id, option: ctx.language, via: 'default' });
    return { next: node.onFailure ?? node.next };
  }

  async #callback(id: string, node: CallbackNode): Promise<Step> {
    const ctx = this.#ctx;
    let window: string | undefined;
    if (node.window) {
      const spec = node.window;
      const outcome = await askChoice(ctx, {
        id: `${id}:window`,
        prompt: (c) => c.say(`${id}:window`, spec.prompt, true).then(() => {}),
        options: spec.options,
        retry: { ...spec, onFailure: undefined },
      });
      if (outcome.kind === 'person')
        return this.#toPersonOrFailure(`${id}:window`, outcome, undefined);
      window = outcome.kind === 'option' ? outcome.name : 'any';
      ctx.call.recordChoice({
        node: `${id}:window`,
        option: window,
        via: outcome.kind === 'option' ? outcome.via : 'default',
      });
    }
    ctx.call.recordRoute('callback', { topic: node.topic, ...(window ? { window } : {}) });
    await ctx.say(id, node.prompt, false);
    return { next: node.next };
  }

  #toPersonOrFailure(
    id: string,
    outcome: { kind: 'person'; via: 'dtmf' | 'speech' } | { kind: 'failed' },
    onFailure: string | undefined,
  ): Step {
    const { flow, call } = this.#ctx;
    if (outcome.kind === 'person') {
      call.recordChoice({ node: id, option: 'person', via: outcome.via });
      return { next: flow.person };
    }
    const fallback = onFailure ?? flow.person;
    call.recordChoice({
      node: id,
      option: fallback === flow.person ? 'person' : 'failure',
      via: 'default',
    });
    return { next: fallback };
  }
}
