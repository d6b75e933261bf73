import { DEFAULT_NO_INPUT, DEFAULT_NO_MATCH } from '../ivr/flow-context.js';
import { type Flow, flowLanguages, type Text } from '../ivr/flow-schema.js';
import { textFor } from '../ivr/localized.js';

export interface PromptText {
  id: string;
  text: string;
  language: string;
}

/**
 * Every prompt a flow can play, in every language, with the ids the call session uses. Lets
 * the appliance render them all before the first call instead of making a caller wait.
 */
export function flowPrompts(flow: Flow, emergencyNotice: Text | null): PromptText[] {
  const out = new Map<string, PromptText>();
  const languages = flowLanguages(flow);
  const add = (id: string, text: Text | undefined, only?: string) => {
    if (text === undefined) return;
    for (const language of only ? [only] : languages) {
      const resolved = textFor(text, language, flow.language);
      out.set(`${language}\u0000${id}\u0000${resolved}`, { id, text: resolved, language });
    }
  };
  add('disclosure', flow.disclosure, flow.language);
  if (emergencyNotice) add('emergency-notice', emergencyNotice, flow.language);
  const d = flow.defaults ?? {};
  for (const [id, node] of Object.entries(flow.nodes)) {
    switch (node.type) {
      case 'say':
      case 'info':
        add(id, node.text);
        break;
      case 'menu':
      case 'collect':
        add(id, node.prompt);
        add(`${id}:retry`, node.noInput ?? d.noInput ?? DEFAULT_NO_INPUT);
        add(`${id}:retry`, node.noMatch ?? d.noMatch ?? DEFAULT_NO_MATCH);
        break;
      case 'language':
        for (const language of Object.keys(node.options))
          add(`${id}:${language}`, node.prompt, language);
        add(`${id}:retry`, node.noInput ?? d.noInput ?? DEFAULT_NO_INPUT);
        add(`${id}:retry`, node.noMatch ?? d.noMatch ?? DEFAULT_NO_MATCH);
        break;
      case 'callback':
        add(id, node.prompt);
        if (node.window) {
          add(`${id}:window`, node.window.prompt);
          add(`${id}:window:retry`, node.window.noInput ?? d.noInput ?? DEFAULT_NO_INPUT);
          add(`${id}:window:retry`, node.window.noMatch ?? d.noMatch ?? DEFAULT_NO_MATCH);
        }
        break;
      case 'transfer':
      case 'hangup':
      case 'voicemail':
        add(id, node.prompt);
        break;
      case 'hours':
        break;
    }
  }
  return [...out.values()];
}
