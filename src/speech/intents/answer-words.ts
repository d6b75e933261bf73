/**
 * Yes and no per language: confirmations ("Did you say four one five?") need them in every
 * menu's grammar, or a grammar-constrained recogniser hears "yes" as [unk].
 */
const YES_NO: Record<string, { yes: string[]; no: string[] }> = {
  en: { yes: ['yes', 'yeah', 'correct', 'right'], no: ['no', 'nope', 'wrong'] },
  de: { yes: ['ja', 'genau', 'richtig', 'stimmt'], no: ['nein', 'falsch'] },
  es: { yes: ['sí', 'si', 'correcto', 'vale'], no: ['no', 'incorrecto'] },
  fr: { yes: ['oui', 'ouais', 'exact', "d'accord"], no: ['non', 'faux'] },
};

export function yesNoWords(language: string): { yes: string[]; no: string[] } {
  return YES_NO[language.slice(0, 2)] ?? YES_NO.en!;
}
