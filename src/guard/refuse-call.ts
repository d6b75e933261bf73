import type { Line } from '../line/line-port.js';

const NOTICE: Record<string, string> = {
  en: 'We cannot take your call right now. Please try again later.',
  de: 'Wir können Ihren Anruf gerade nicht annehmen. Bitte versuchen Sie es später noch einmal.',
  es: 'No podemos atender su llamada en este momento. Inténtelo más tarde.',
};

export const REFUSED_PROMPT_ID = 'guard-refused';

/**
 * Answers and hangs up at once, with one short sentence when `notice` is set (callers over
 * their limit may be people; blocked numbers are not told anything). Answering rather than
 * letting it ring frees the clinic's only line within seconds; a refused caller never hears a
 * menu.
 */
export async function refuseCall(line: Line, language: string, notice: boolean): Promise<void> {
  await line.answer();
  try {
    if (!notice) return;
    await line.play({
      id: REFUSED_PROMPT_ID,
      text: NOTICE[language.slice(0, 2)] ?? NOTICE.en!,
      interruptible: false,
      language,
    });
  } finally {
    await line.hangup();
  }
}
