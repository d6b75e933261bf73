/**
 * Words every menu understands without the flow listing them, per language. Reaching a person
 * must never depend on a flow author remembering to add it.
 */
export interface GlobalPhrases {
  person: string[];
  repeat: string[];
}

const PHRASES: Record<string, GlobalPhrases> = {
  en: {
    person: ['reception', 'operator', 'person', 'someone', 'human'],
    repeat: ['repeat', 'say again'],
  },
  de: {
    person: ['rezeption', 'empfang', 'mitarbeiter', 'person', 'mensch'],
    repeat: ['wiederholen', 'nochmal'],
  },
  es: {
    person: ['recepción', 'recepcion', 'operador', 'persona'],
    repeat: ['repetir', 'otra vez'],
  },
  // Speech only (flows and prompts stay en/de/es): French callers on a French Vosk model.
  fr: {
    person: ['accueil', 'secrétariat', 'standard', 'réception', "quelqu'un"],
    repeat: ['répéter', 'répétez', 'encore une fois'],
  },
};

export function globalPhrases(language: string): GlobalPhrases {
  return PHRASES[language.slice(0, 2)] ?? PHRASES.en!;
}
