import type { RetentionPolicy } from '../../privacy/retention-policy.js';
import type { ErasureCounts, SubjectRows } from '../../storage/sqlite/sqlite-data-subject-store.js';
import { defineCatalog } from '../i18n/catalog.js';

type Kind = keyof SubjectRows | keyof ErasureCounts;

interface PrivacyMessages {
  title: string;
  heading: string;
  intro: string;
  number: string;
  numberHint: string;
  exportButton: string;
  reviewButton: string;
  badNumber: string;
  review: {
    heading: (number: string) => string;
    found: string;
    nothing: string;
    exportNote: string;
    eraseHeading: string;
    eraseWarning: string;
    confirm: (digits: number) => string;
    eraseButton: string;
    badConfirm: (digits: number) => string;
    back: string;
  };
  erased: {
    heading: string;
    intro: string;
    auditKept: string;
  };
  kinds: Record<Kind, string>;
  stored: {
    heading: string;
    intro: string;
    what: string;
    kept: string;
    days: (n: number) => string;
    callbacksKept: (n: number) => string;
    blocksKept: (n: number) => string;
    contents: Record<keyof RetentionPolicy, string>;
    voicemailOff: string;
    notStored: string;
    docs: string;
  };
}

export const PRIVACY_MESSAGES = defineCatalog<PrivacyMessages>({
  en: {
    title: 'linekeeper · privacy',
    heading: 'Privacy: requests about one phone number',
    intro:
      'A caller may ask what the clinic stores about them (GDPR Art. 15) or ask to have it erased (Art. 17). Enter their number as the phone line shows it. Every look-up, export and erasure is written to the audit log, by keyed hash, never the number itself.',
    number: 'Phone number',
    numberHint: 'e.g. +49 30 1234567 or 030 1234567',
    exportButton: 'Download export (JSON)',
    reviewButton: 'Review and erase…',
    badNumber:
      'Phone number: use digits, spaces, brackets, dashes and a leading + only, with 3 to 17 digits, e.g. +49 30 1234567.',
    review: {
      heading: (n) => `Stored about ${n}`,
      found: 'Found on this appliance:',
      nothing: 'Nothing is stored about this number.',
      exportNote:
        'The export holds every row listed here, callback numbers decrypted: give it only to the caller.',
      eraseHeading: 'Erase',
      eraseWarning:
        'Erasing deletes the calls, call events, callback requests, voicemails (with their audio) and flood-guard blocks of this number at once. It cannot be undone.',
      confirm: (d) => `To confirm, type the last ${d} digits of the number`,
      eraseButton: 'Erase everything about this number',
      badConfirm: (d) =>
        `Confirmation: the last ${d} digits you typed do not match the number; nothing was erased.`,
      back: 'Another number',
    },
    erased: {
      heading: 'Erased',
      intro: 'Deleted from this appliance:',
      auditKept:
        'The audit log keeps the record that this request was answered (by keyed hash, not the number), as the GDPR requires (Art. 5(2)).',
    },
    kinds: {
      calls: 'Call records',
      callEvents: 'Call events',
      callbacks: 'Callback requests',
      voicemails: 'Voicemails',
      voicemailFiles: 'Voicemail audio files',
      guardBlocks: 'Flood-guard blocks',
      auditLog: 'Audit entries about this number',
    },
    stored: {
      heading: 'What is stored, and for how long',
      intro:
        'Caller numbers are stored only as a keyed hash plus their last two digits; the key (device secret) never leaves the appliance. The purge job deletes data when its period ends:',
      what: 'Data',
      kept: 'Kept',
      days: (n) => (n === 1 ? '1 day' : `${n} days`),
      callbacksKept: (n) => `until handled, at most ${n === 1 ? '1 day' : `${n} days`}`,
      blocksKept: (n) => `${n === 1 ? '1 day' : `${n} days`} after the block ends`,
      contents: {
        calls: 'Call records: time, duration, caller hash and last two digits, menu choices, route',
        callEvents: 'Call events: menu choices, routes, flood-guard decisions',
        callbacks: 'Callback requests: the number to call back, encrypted',
        voicemails: 'Voicemail: encrypted audio and its details',
        guardBlocks: 'Flood-guard blocks of numbers that failed the anti-bot check',
        auditLog: 'Audit log: who exported, erased or changed what',
      },
      voicemailOff: 'Voicemail is off: no audio is stored.',
      notStored:
        'Never stored: call audio (unless voicemail is on), speech transcripts, digits callers type, numbers in logs.',
      docs: 'The full statement for the data-protection officer is docs/privacy.md in the linekeeper installation.',
    },
  },
  de: {
    title: 'linekeeper · Datenschutz',
    heading: 'Datenschutz: Anfragen zu einer Telefonnummer',
    intro:
      'Anrufer können erfragen, was die Praxis über sie speichert (DSGVO Art. 15), oder die Löschung verlangen (Art. 17). Geben Sie die Nummer so ein, wie die Telefonleitung sie anzeigt. Jede Abfrage, jeder Export und jede Löschung wird im Prüfprotokoll vermerkt – als Schlüssel-Hash, nie mit der Nummer selbst.',
    number: 'Telefonnummer',
    numberHint: 'z. B. +49 30 1234567 oder 030 1234567',
    exportButton: 'Export herunterladen (JSON)',
    reviewButton: 'Prüfen und löschen …',
    badNumber:
      'Telefonnummer: nur Ziffern, Leerzeichen, Klammern, Bindestriche und ein führendes + verwenden, 3 bis 17 Ziffern, z. B. +49 30 1234567.',
    review: {
      heading: (n) => `Gespeichert zu ${n}`,
      found: 'Auf diesem Gerät gefunden:',
      nothing: 'Zu dieser Nummer ist nichts gespeichert.',
      exportNote:
        'Der Export enthält alle hier aufgeführten Einträge, Rückrufnummern entschlüsselt: Geben Sie ihn nur an den Anrufer selbst heraus.',
      eraseHeading: 'Löschen',
      eraseWarning:
        'Beim Löschen werden Anrufe, Anrufereignisse, Rückrufbitten, Sprachnachrichten (mit Audio) und Sperren der Anrufflut-Abwehr zu dieser Nummer sofort entfernt. Das lässt sich nicht rückgängig machen.',
      confirm: (d) => `Zur Bestätigung die letzten ${d} Ziffern der Nummer eingeben`,
      eraseButton: 'Alles zu dieser Nummer löschen',
      badConfirm: (d) =>
        `Bestätigung: Die eingegebenen letzten ${d} Ziffern passen nicht zur Nummer; es wurde nichts gelöscht.`,
      back: 'Andere Nummer',
    },
    erased: {
      heading: 'Gelöscht',
      intro: 'Von diesem Gerät entfernt:',
      auditKept:
        'Das Prüfprotokoll behält den Vermerk, dass diese Anfrage beantwortet wurde (als Schlüssel-Hash, nicht die Nummer), wie es die DSGVO verlangt (Art. 5 Abs. 2).',
    },
    kinds: {
      calls: 'Anrufe',
      callEvents: 'Anrufereignisse',
      callbacks: 'Rückrufbitten',
      voicemails: 'Sprachnachrichten',
      voicemailFiles: 'Audiodateien von Sprachnachrichten',
      guardBlocks: 'Sperren der Anrufflut-Abwehr',
      auditLog: 'Protokolleinträge zu dieser Nummer',
    },
    stored: {
      heading: 'Was gespeichert wird und wie lange',
      intro:
        'Anrufernummern werden nur als Schlüssel-Hash mit den letzten zwei Ziffern gespeichert; der Schlüssel (Gerätegeheimnis) verlässt das Gerät nie. Nach Ablauf der Frist löscht der Bereinigungsauftrag die Daten:',
      what: 'Daten',
      kept: 'Aufbewahrung',
      days: (n) => (n === 1 ? '1 Tag' : `${n} Tage`),
      callbacksKept: (n) => `bis erledigt, höchstens ${n === 1 ? '1 Tag' : `${n} Tage`}`,
      blocksKept: (n) => `${n === 1 ? '1 Tag' : `${n} Tage`} nach Ende der Sperre`,
      contents: {
        calls:
          'Anrufe: Zeit, Dauer, Anrufer-Hash und letzte zwei Ziffern, Menüauswahl, Weiterleitung',
        callEvents:
          'Anrufereignisse: Menüauswahl, Weiterleitungen, Entscheidungen der Anrufflut-Abwehr',
        callbacks: 'Rückrufbitten: die Rückrufnummer, verschlüsselt',
        voicemails: 'Sprachnachrichten: verschlüsseltes Audio und Angaben dazu',
        guardBlocks: 'Sperren von Nummern, die die Anti-Bot-Prüfung nicht bestanden haben',
        auditLog: 'Prüfprotokoll: wer was exportiert, gelöscht oder geändert hat',
      },
      voicemailOff: 'Sprachnachrichten sind aus: Es wird kein Audio gespeichert.',
      notStored:
        'Nie gespeichert: Gesprächsaudio (außer bei eingeschalteten Sprachnachrichten), Sprachtranskripte, von Anrufern eingetippte Ziffern, Nummern in Protokolldateien.',
      docs: 'Die vollständige Beschreibung für den Datenschutzbeauftragten steht in docs/privacy.md der linekeeper-Installation.',
    },
  },
  es: {
    title: 'linekeeper · privacidad',
    heading: 'Privacidad: solicitudes sobre un número de teléfono',
    intro:
      'Quien llama puede pedir qué datos guarda la consulta sobre él (RGPD art. 15) o que se borren (art. 17). Introduzca el número tal como lo muestra la línea. Cada consulta, exportación y borrado queda en el registro de auditoría, con un hash con clave, nunca con el número.',
    number: 'Número de teléfono',
    numberHint: 'p. ej. +49 30 1234567 o 030 1234567',
    exportButton: 'Descargar exportación (JSON)',
    reviewButton: 'Revisar y borrar…',
    badNumber:
      'Número de teléfono: use solo cifras, espacios, paréntesis, guiones y un + inicial, con 3 a 17 cifras, p. ej. +49 30 1234567.',
    review: {
      heading: (n) => `Datos guardados sobre ${n}`,
      found: 'Encontrado en este equipo:',
      nothing: 'No hay nada guardado sobre este número.',
      exportNote:
        'La exportación contiene todas las filas indicadas, con los números de devolución de llamada descifrados: entréguela solo a quien llamó.',
      eraseHeading: 'Borrar',
      eraseWarning:
        'Al borrar se eliminan de inmediato las llamadas, los eventos de llamada, las solicitudes de devolución de llamada, los mensajes de voz (con su audio) y los bloqueos del filtro antiavalancha de este número. No se puede deshacer.',
      confirm: (d) => `Para confirmar, escriba las últimas ${d} cifras del número`,
      eraseButton: 'Borrar todo sobre este número',
      badConfirm: (d) =>
        `Confirmación: las últimas ${d} cifras escritas no coinciden con el número; no se ha borrado nada.`,
      back: 'Otro número',
    },
    erased: {
      heading: 'Borrado',
      intro: 'Eliminado de este equipo:',
      auditKept:
        'El registro de auditoría conserva la constancia de que se atendió esta solicitud (con el hash, no el número), como exige el RGPD (art. 5.2).',
    },
    kinds: {
      calls: 'Llamadas',
      callEvents: 'Eventos de llamada',
      callbacks: 'Solicitudes de devolución de llamada',
      voicemails: 'Mensajes de voz',
      voicemailFiles: 'Archivos de audio de mensajes de voz',
      guardBlocks: 'Bloqueos del filtro antiavalancha',
      auditLog: 'Entradas de auditoría sobre este número',
    },
    stored: {
      heading: 'Qué se guarda y durante cuánto tiempo',
      intro:
        'Los números de quienes llaman se guardan solo como hash con clave y sus dos últimas cifras; la clave (secreto del equipo) nunca sale del equipo. La tarea de depuración borra los datos al acabar su plazo:',
      what: 'Datos',
      kept: 'Plazo',
      days: (n) => (n === 1 ? '1 día' : `${n} días`),
      callbacksKept: (n) => `hasta atenderla, como máximo ${n === 1 ? '1 día' : `${n} días`}`,
      blocksKept: (n) => `${n === 1 ? '1 día' : `${n} días`} tras terminar el bloqueo`,
      contents: {
        calls: 'Llamadas: hora, duración, hash y dos últimas cifras, opciones de menú, destino',
        callEvents:
          'Eventos de llamada: opciones de menú, destinos, decisiones del filtro antiavalancha',
        callbacks: 'Solicitudes de devolución de llamada: el número, cifrado',
        voicemails: 'Mensajes de voz: audio cifrado y sus datos',
        guardBlocks: 'Bloqueos de números que no superaron la prueba antibots',
        auditLog: 'Registro de auditoría: quién exportó, borró o cambió qué',
      },
      voicemailOff: 'El buzón de voz está desactivado: no se guarda audio.',
      notStored:
        'Nunca se guarda: el audio de las llamadas (salvo con buzón de voz), transcripciones de voz, cifras que marca quien llama, números en los registros del sistema.',
      docs: 'La descripción completa para el delegado de protección de datos está en docs/privacy.md de la instalación de linekeeper.',
    },
  },
});
