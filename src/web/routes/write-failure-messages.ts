import { defineCatalog } from '../i18n/catalog.js';
import type { Locale } from '../i18n/locale.js';
import type { WriteFailure } from '../write-failure.js';

export const WRITE_FAILURE_MESSAGES = defineCatalog({
  en: {
    'disk-full':
      'The disk is full: nothing was saved, and what was in effect still is. Free some space (the System page shows how much is left) and save again.',
    unwritable: (detail: string) =>
      `The appliance cannot write to its data folder (${detail}): nothing was saved. A technician should check that the folder belongs to the linekeeper user.`,
    failed: (detail: string) => `Saving failed (${detail}): nothing was saved.`,
  },
  de: {
    'disk-full':
      'Der Datenträger ist voll: Nichts wurde gespeichert, es gilt weiter der bisherige Stand. Geben Sie Platz frei (die Seite System zeigt, wie viel frei ist) und speichern Sie erneut.',
    unwritable: (detail: string) =>
      `Das Gerät kann nicht in seinen Datenordner schreiben (${detail}): Nichts wurde gespeichert. Ein Techniker sollte prüfen, ob der Ordner dem Benutzer linekeeper gehört.`,
    failed: (detail: string) => `Speichern fehlgeschlagen (${detail}): Nichts wurde gespeichert.`,
  },
  es: {
    'disk-full':
      'El disco está lleno: no se guardó nada y sigue vigente lo anterior. Libere espacio (la página Sistema muestra cuánto queda) y vuelva a guardar.',
    unwritable: (detail: string) =>
      `El equipo no puede escribir en su carpeta de datos (${detail}): no se guardó nada. Un técnico debe comprobar que la carpeta pertenece al usuario linekeeper.`,
    failed: (detail: string) => `No se pudo guardar (${detail}): no se guardó nada.`,
  },
});

/** The page's words for a failed write, in the reader's language. */
export function writeFailureText(failure: WriteFailure, locale: Locale): string {
  const m = WRITE_FAILURE_MESSAGES[locale];
  return failure.kind === 'disk-full' ? m['disk-full'] : m[failure.kind](failure.detail);
}
