import type { CallActions } from './call-actions.js';
import {
  type Flow,
  flowLanguages,
  type Phrases,
  type RetrySettings,
  type Text,
} from './flow-schema.js';
import { type GlobalPhrases, globalPhrases } from './global-phrases.js';
import { phrasesFor, textFor } from './localized.js';

export const DEFAULT_RETRIES = 2;
export const DEFAULT_TIMEOUT_SECONDS = 6;
export const DEFAULT_NO_INPUT = 'Sorry, I did not hear anything.';
export const DEFAULT_NO_MATCH = 'Sorry, I did not understand that.';

/** What every node handler needs: the flow, the call, the caller's language and variables. */
export class FlowContext {
  readonly flow: Flow;
  readonly call: CallActions;
  readonly variables = new Map<string, string>();
  #language: string;

  constructor(flow: Flow, call: CallActions) {
    this.flow = flow;
    this.call = call;
    this.#language = flow.language;
  }

  get language(): string {
    return this.#language;
  }

  setLanguage(language: string): void {
    if (!flowLanguages(this.flow).includes(language)) return;
    this.#language = language;
    this.call.recordLanguage(language);
  }

  text(text: Text): string {
    return textFor(text, this.#language, this.flow.language);
  }

  phrases(phrases: Phrases | undefined): string[] {
    return phrasesFor(phrases, this.#language, this.flow.language);
  }

  globals(): GlobalPhrases {
    return globalPhrases(this.#language);
  }

  say(id: string, text: Text, interruptible: boolean) {
    return this.call.say(id, this.text(text), interruptible, this.#language);
  }

  /** Retry settings of a node, with the flow's defaults and then the built-in ones. */
  retrySettings(node: RetrySettings) {
    const d = this.flow.defaults ?? {};
    return {
      attempts: (node.retries ?? d.retries ?? DEFAULT_RETRIES) + 1,
      timeoutMs: (node.timeoutSeconds ?? d.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
      noInput: node.noInput ?? d.noInput ?? DEFAULT_NO_INPUT,
      noMatch: node.noMatch ?? d.noMatch ?? DEFAULT_NO_MATCH,
    };
  }
}
