import { defineCatalog } from '../i18n/catalog.js';

/**
 * Words of a call row, shared by the dashboard, the call log and live.js (which gets them as
 * JSON from the page). Route and end-reason values stay English in data-* attributes and in
 * the CSV; only what a person reads is translated.
 */
export interface CallRowMessages {
  headers: {
    time: string;
    caller: string;
    route: string;
    choices: string;
    duration: string;
    ended: string;
  };
  caller: { withheld: string; unknown: string };
  route: Record<string, string>;
  endReason: Record<string, string>;
}

export const CALL_ROW_MESSAGES = defineCatalog<CallRowMessages>({
  en: {
    headers: {
      time: 'Time',
      caller: 'Caller',
      route: 'Route',
      choices: 'Choices',
      duration: 'Duration',
      ended: 'Ended',
    },
    caller: { withheld: 'withheld', unknown: 'unknown' },
    route: {
      transfer: 'transfer',
      callback: 'callback',
      info: 'information',
      voicemail: 'voicemail',
      hangup: 'hung up',
      abandoned: 'abandoned',
    },
    endReason: {
      'caller-hangup': 'caller hung up',
      'appliance-hangup': 'appliance hung up',
      transferred: 'transferred',
      'max-duration': 'time limit',
      'line-fault': 'line fault',
      error: 'error',
    },
  },
  de: {
    headers: {
      time: 'Zeit',
      caller: 'Anrufer',
      route: 'Ziel',
      choices: 'Auswahl',
      duration: 'Dauer',
      ended: 'Beendet',
    },
    caller: { withheld: 'unterdrückt', unknown: 'unbekannt' },
    route: {
      transfer: 'Weiterleitung',
      callback: 'Rückruf',
      info: 'Auskunft',
      voicemail: 'Sprachnachricht',
      hangup: 'aufgelegt',
      abandoned: 'abgebrochen',
    },
    endReason: {
      'caller-hangup': 'Anrufer hat aufgelegt',
      'appliance-hangup': 'Gerät hat aufgelegt',
      transferred: 'weitergeleitet',
      'max-duration': 'Zeitlimit',
      'line-fault': 'Leitungsfehler',
      error: 'Fehler',
    },
  },
  es: {
    headers: {
      time: 'Hora',
      caller: 'Quién llama',
      route: 'Destino',
      choices: 'Opciones',
      duration: 'Duración',
      ended: 'Fin',
    },
    caller: { withheld: 'oculto', unknown: 'desconocido' },
    route: {
      transfer: 'transferencia',
      callback: 'devolución de llamada',
      info: 'información',
      voicemail: 'buzón de voz',
      hangup: 'colgada',
      abandoned: 'abandonada',
    },
    endReason: {
      'caller-hangup': 'colgó el llamante',
      'appliance-hangup': 'colgó el equipo',
      transferred: 'transferida',
      'max-duration': 'límite de tiempo',
      'line-fault': 'fallo de línea',
      error: 'error',
    },
  },
});

/** "transfer: reception" in the reader's words; unknown kinds are shown as stored. */
export function routeLabel(m: CallRowMessages, route: string, topic: string | null): string {
  const colon = route.indexOf(':');
  const kind = colon < 0 ? route : route.slice(0, colon);
  const target = colon < 0 ? '' : route.slice(colon + 1);
  const name = wordFor(m.route, kind);
  const label = target ? `${name}: ${target}` : name;
  return topic ? `${label} (${topic})` : label;
}

/** The pseudonymous caller ("…42") as is; "withheld" and "unknown" in the reader's words. */
export function callerLabel(m: CallRowMessages, caller: string): string {
  if (caller === 'withheld') return m.caller.withheld;
  if (caller === 'unknown') return m.caller.unknown;
  return caller;
}

/**
 * The catalogue's word for a stored value, or the value itself. Own keys only: a route named
 * "constructor" must not turn into Object's constructor.
 */
export function wordFor(table: Record<string, string>, value: string): string {
  return Object.hasOwn(table, value) ? table[value]! : value;
}
