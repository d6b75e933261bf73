import { globalPhrases } from '../../ivr/global-phrases.js';
import { matchPhrase } from '../../ivr/speech-match.js';
import { spokenDigits } from '../../ivr/spoken-digits.js';
import { words } from '../words.js';
import { yesNoWords } from './answer-words.js';
import { UNKNOWN_TOKEN } from './menu-grammar.js';

export type IntentKind = 'option' | 'person' | 'repeat' | 'yes' | 'no' | 'digits' | 'unknown';

export interface Intent {
  kind: IntentKind;
  /** The option's name for `option`, the digit string for `digits`, else the kind. */
  value: string;
  confidence: number;
  /**
   * What the IVR should do: `accept` it, `reprompt` (heard something, not sure enough: ask
   * again or offer the keys), or `ignore` (noise, or nothing the menu knows).
   */
  action: 'accept' | 'reprompt' | 'ignore';
}

export interface IntentThresholds {
  /** At or above: act on the intent. */
  accept: number;
  /** Below: treat as noise. Between the two: re-prompt. */
  ignoreBelow: number;
}

export const DEFAULT_THRESHOLDS: IntentThresholds = { accept: 0.6, ignoreBelow: 0.3 };

export interface MenuIntents {
  language: string;
  options: ReadonlyArray<{ name: string; phrases: readonly string[] }>;
}

/** Text (and its confidence) from the recogniser -> what the caller meant in this menu. */
export function classifyUtterance(
  text: string,
  confidence: number,
  menu: MenuIntents,
  thresholds: IntentThresholds = DEFAULT_THRESHOLDS,
): Intent {
  const heard = words(text).filter((w) => w !== UNKNOWN_TOKEN);
  const { kind, value } = meaning(heard.join(' '), menu);
  let action: Intent['action'];
  if (heard.length === 0 || confidence < thresholds.ignoreBelow) action = 'ignore';
  // Words were heard but mean nothing here: ask again rather than guess.
  else if (kind === 'unknown' || confidence < thresholds.accept) action = 'reprompt';
  else action = 'accept';
  return { kind, value, confidence, action };
}

function meaning(utterance: string, menu: MenuIntents): { kind: IntentKind; value: string } {
  if (utterance === '') return { kind: 'unknown', value: '' };
  const globals = globalPhrases(menu.language);
  const answers = yesNoWords(menu.language);
  const label = matchPhrase(utterance, [
    ...menu.options.map((o) => ({ label: `option:${o.name}`, phrases: o.phrases })),
    { label: 'person', phrases: globals.person },
    { label: 'repeat', phrases: globals.repeat },
  ]);
  if (label?.startsWith('option:')) return { kind: 'option', value: label.slice(7) };
  if (label === 'person' || label === 'repeat') return { kind: label, value: label };
  const digits = spokenDigits(utterance, menu.language);
  if (digits !== null) return { kind: 'digits', value: digits };
  const only = words(utterance);
  if (only.length === 1 && answers.yes.includes(only[0]!)) return { kind: 'yes', value: 'yes' };
  if (only.length === 1 && answers.no.includes(only[0]!)) return { kind: 'no', value: 'no' };
  return { kind: 'unknown', value: '' };
}
