import { globalPhrases } from '../../ivr/global-phrases.js';
import { digitWords } from '../../ivr/spoken-digits.js';
import { words } from '../words.js';
import { yesNoWords } from './answer-words.js';

/** Vosk's token for "something outside the grammar": without it, noise becomes a menu word. */
export const UNKNOWN_TOKEN = '[unk]';

export interface MenuGrammar {
  /** What goes to vosk_recognizer_new_grm / set_grm. */
  phrases: string[];
  /** Phrase words the model cannot recognise: a flow author should reword those phrases. */
  unknownWords: string[];
}

export interface GrammarOptions {
  /** The model's vocabulary check (vosk_model_find_word); without it every word is kept. */
  knowsWord?: (word: string) => boolean;
  /** Add the language's digit words (default true): callers may answer a menu with a number. */
  digits?: boolean;
}

/**
 * A menu's grammar: its phrases as the caller may say them, plus words every menu understands
 * (the digits, yes/no, "repeat", "reception") and [unk]. Phrases are normalised the way the
 * recogniser writes its output (lower case, no punctuation), so what it returns matches them.
 */
export function buildMenuGrammar(
  phrases: readonly string[],
  language: string,
  options: GrammarOptions = {},
): MenuGrammar {
  const globals = globalPhrases(language);
  const answers = yesNoWords(language);
  const candidates = [
    ...phrases,
    ...globals.person,
    ...globals.repeat,
    ...answers.yes,
    ...answers.no,
    ...(options.digits === false ? [] : digitWords(language)),
  ];
  const seen = new Set<string>();
  const unknown = new Set<string>();
  const out: string[] = [];
  for (const candidate of candidates) {
    const tokens = words(candidate).filter((w) => w !== UNKNOWN_TOKEN);
    if (tokens.length === 0) continue;
    const missing = options.knowsWord ? tokens.filter((w) => !options.knowsWord!(w)) : [];
    // A phrase with a word the model lacks can never be recognised whole; keep the rest.
    if (missing.length > 0) {
      for (const w of missing) unknown.add(w);
      continue;
    }
    const phrase = tokens.join(' ');
    if (seen.has(phrase)) continue;
    seen.add(phrase);
    out.push(phrase);
  }
  out.push(UNKNOWN_TOKEN);
  return { phrases: out, unknownWords: [...unknown].sort() };
}
