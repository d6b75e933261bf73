/**
 * What the caller hears during the challenge. Digits are written as figures: the speech
 * synthesiser reads them in the voice's language, and they stay unambiguous on the web page.
 */
export interface ChallengeTexts {
  ask: (digits: string) => string;
  /** The second attempt: the digits only, the caller knows what it is about by now. */
  askAgain: (digits: string) => string;
  retry: string;
  passed: string;
  failed: string;
}

const spaced = (digits: string) => [...digits].join(', ');

const TEXTS: Record<string, ChallengeTexts> = {
  en: {
    ask: (d) =>
      `We are receiving an unusual number of calls. To reach the clinic, please press the ${d.length} digits you hear: ${spaced(d)}. Once more: ${spaced(d)}.`,
    askAgain: (d) => `Please press: ${spaced(d)}. Once more: ${spaced(d)}.`,
    retry: 'That was not right. Please listen again.',
    passed: 'Thank you.',
    failed: 'Sorry, we could not confirm your call. Please try again later.',
  },
  de: {
    ask: (d) =>
      `Wir erhalten gerade ungewöhnlich viele Anrufe. Um die Praxis zu erreichen, drücken Sie bitte die ${d.length} Ziffern, die Sie hören: ${spaced(d)}. Noch einmal: ${spaced(d)}.`,
    askAgain: (d) => `Bitte drücken Sie: ${spaced(d)}. Noch einmal: ${spaced(d)}.`,
    retry: 'Das war leider nicht richtig. Bitte hören Sie noch einmal zu.',
    passed: 'Vielen Dank.',
    failed:
      'Leider konnten wir Ihren Anruf nicht bestätigen. Bitte versuchen Sie es später noch einmal.',
  },
  es: {
    ask: (d) =>
      `Estamos recibiendo un número inusual de llamadas. Para comunicarse con la clínica, marque los ${d.length} dígitos que escuche: ${spaced(d)}. Otra vez: ${spaced(d)}.`,
    askAgain: (d) => `Marque: ${spaced(d)}. Otra vez: ${spaced(d)}.`,
    retry: 'No es correcto. Escuche de nuevo, por favor.',
    passed: 'Gracias.',
    failed: 'Lo sentimos, no pudimos confirmar su llamada. Inténtelo más tarde.',
  },
};

export function challengeTexts(language: string): ChallengeTexts {
  return TEXTS[language.slice(0, 2)] ?? TEXTS.en!;
}
