import { words } from '../speech/words.js';

/** Digit words per language; what a caller says when asked for a number. */
const DIGIT_WORDS: Record<string, Record<string, string>> = {
  en: {
    zero: '0',
    oh: '0',
    o: '0',
    one: '1',
    two: '2',
    three: '3',
    four: '4',
    five: '5',
    six: '6',
    seven: '7',
    eight: '8',
    nine: '9',
  },
  de: {
    null: '0',
    eins: '1',
    ein: '1',
    zwei: '2',
    zwo: '2',
    drei: '3',
    vier: '4',
    fünf: '5',
    sechs: '6',
    sieben: '7',
    acht: '8',
    neun: '9',
  },
  es: {
    cero: '0',
    uno: '1',
    una: '1',
    dos: '2',
    tres: '3',
    cuatro: '4',
    cinco: '5',
    seis: '6',
    siete: '7',
    ocho: '8',
    nueve: '9',
  },
  // Speech only, like the French globals in global-phrases.ts.
  fr: {
    zéro: '0',
    un: '1',
    deux: '2',
    trois: '3',
    quatre: '4',
    cinq: '5',
    six: '6',
    sept: '7',
    huit: '8',
    neuf: '9',
  },
};

export function digitWords(language: string): string[] {
  return Object.keys(DIGIT_WORDS[language.slice(0, 2)] ?? DIGIT_WORDS.en!);
}

/**
 * "four one five" -> "415". Digits spoken as figures pass through. Returns null when any word
 * is not a digit, so "four or five" is not read as "45".
 */
export function spokenDigits(utterance: string, language: string): string | null {
  const table = DIGIT_WORDS[language.slice(0, 2)] ?? DIGIT_WORDS.en!;
  let out = '';
  for (const word of words(utterance)) {
    if (/^\d+$/.test(word)) out += word;
    else if (table[word] !== undefined) out += table[word];
    else return null;
  }
  return out === '' ? null : out;
}
