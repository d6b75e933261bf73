import { defineCatalog } from '../i18n/catalog.js';

/**
 * The dashboard's words. Status values (line state, mode, ...) are looked up here for display
 * and fall back to the value itself for one this catalogue does not know yet. Templates with
 * {kind} or {hour} are filled in by the server and by live.js alike.
 */
export interface DashboardMessages {
  liveUpdates: string;
  statusLabel: string;
  cards: {
    line: string;
    currentCall: string;
    callsToday: string;
    speech: string;
    relay: string;
    mode: string;
  };
  lineState: Record<string, string>;
  /** Line adapters (the line is feminine in Spanish)... */
  kind: Record<string, string>;
  /** ...and speech recognisers (masculine), named apart so adjectives agree. */
  speechKind: Record<string, string>;
  none: string;
  stage: Record<string, string>;
  speech: { ready: string; failed: string; off: string };
  relay: { appliance: string; frontDesk: string; frontDeskForced: string };
  mode: Record<string, string>;
  recentCalls: string;
  noCalls: string;
  chart: {
    heading: string;
    description: string;
    axisHours: string;
    axisCalls: string;
    /** One bar's tooltip: "09:00–10:00: 3 calls". */
    bar: string;
    barOne: string;
  };
}

export const DASHBOARD_MESSAGES = defineCatalog<DashboardMessages>({
  en: {
    liveUpdates: 'live updates',
    statusLabel: 'status',
    cards: {
      line: 'Line',
      currentCall: 'Current call',
      callsToday: 'Calls today',
      speech: 'Speech',
      relay: 'Line relay',
      mode: 'Mode',
    },
    lineState: {
      down: 'down',
      idle: 'idle',
      ringing: 'ringing',
      connected: 'connected',
      transferring: 'transferring',
    },
    kind: { simulated: 'simulated', modem: 'modem', soundcard: 'sound card' },
    speechKind: { simulated: 'simulated', vosk: 'Vosk' },
    none: 'none',
    stage: { answering: 'answering', greeting: 'greeting', routed: 'routed' },
    speech: { ready: '{kind} ready', failed: 'unavailable: keys only', off: 'off: keys only' },
    relay: {
      appliance: 'appliance answers',
      frontDesk: 'front desk',
      frontDeskForced: 'front desk (forced)',
    },
    mode: { day: 'day', night: 'night' },
    recentCalls: 'Recent calls',
    noCalls: 'No calls yet.',
    chart: {
      heading: 'Calls per hour today',
      description: 'Bars show how many calls started in each hour of today, local time.',
      axisHours: 'Hour',
      axisCalls: 'Calls',
      bar: '{hour}: {count} calls',
      barOne: '{hour}: 1 call',
    },
  },
  de: {
    liveUpdates: 'Live-Aktualisierung',
    statusLabel: 'Status',
    cards: {
      line: 'Leitung',
      currentCall: 'Aktueller Anruf',
      callsToday: 'Anrufe heute',
      speech: 'Spracherkennung',
      relay: 'Leitungsrelais',
      mode: 'Betrieb',
    },
    lineState: {
      down: 'gestört',
      idle: 'frei',
      ringing: 'klingelt',
      connected: 'verbunden',
      transferring: 'leitet weiter',
    },
    kind: { simulated: 'simuliert', modem: 'Modem', soundcard: 'Soundkarte' },
    speechKind: { simulated: 'simuliert', vosk: 'Vosk' },
    none: 'keiner',
    stage: { answering: 'nimmt ab', greeting: 'Begrüßung', routed: 'vermittelt' },
    speech: {
      ready: '{kind} bereit',
      failed: 'nicht verfügbar: nur Tasten',
      off: 'aus: nur Tasten',
    },
    relay: {
      appliance: 'Gerät nimmt ab',
      frontDesk: 'Empfang',
      frontDeskForced: 'Empfang (erzwungen)',
    },
    mode: { day: 'Tag', night: 'Nacht' },
    recentCalls: 'Letzte Anrufe',
    noCalls: 'Noch keine Anrufe.',
    chart: {
      heading: 'Anrufe pro Stunde heute',
      description:
        'Die Balken zeigen, wie viele Anrufe in jeder Stunde des heutigen Tages begannen (Ortszeit).',
      axisHours: 'Stunde',
      axisCalls: 'Anrufe',
      bar: '{hour}: {count} Anrufe',
      barOne: '{hour}: 1 Anruf',
    },
  },
  es: {
    liveUpdates: 'actualización en directo',
    statusLabel: 'estado',
    cards: {
      line: 'Línea',
      currentCall: 'Llamada en curso',
      callsToday: 'Llamadas hoy',
      speech: 'Reconocimiento de voz',
      relay: 'Relé de línea',
      mode: 'Modo',
    },
    lineState: {
      down: 'caída',
      idle: 'libre',
      ringing: 'sonando',
      connected: 'conectada',
      transferring: 'transfiriendo',
    },
    kind: { simulated: 'simulada', modem: 'módem', soundcard: 'tarjeta de sonido' },
    speechKind: { simulated: 'simulado', vosk: 'Vosk' },
    none: 'ninguna',
    stage: { answering: 'contestando', greeting: 'saludo', routed: 'encaminada' },
    speech: {
      ready: '{kind} listo',
      failed: 'no disponible: solo teclas',
      off: 'desactivado: solo teclas',
    },
    relay: {
      appliance: 'contesta el equipo',
      frontDesk: 'recepción',
      frontDeskForced: 'recepción (forzado)',
    },
    mode: { day: 'día', night: 'noche' },
    recentCalls: 'Llamadas recientes',
    noCalls: 'Todavía no hay llamadas.',
    chart: {
      heading: 'Llamadas por hora hoy',
      description:
        'Las barras muestran cuántas llamadas empezaron en cada hora de hoy, en hora local.',
      axisHours: 'Hora',
      axisCalls: 'Llamadas',
      bar: '{hour}: {count} llamadas',
      barOne: '{hour}: 1 llamada',
    },
  },
});

/** Fills {name} placeholders; live.js has the same few lines. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
