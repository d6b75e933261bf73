import { defineCatalog } from '../i18n/catalog.js';

interface FlowsMessages {
  title: string;
  heading: string;
  inEffectEdited: (file: string) => string;
  inEffectConfigured: (spec: string, file: string | null) => string;
  summary: (name: string, nodes: number, hash: string) => string;
  precedence: string;
  editor: string;
  editorHelp: string;
  check: string;
  save: string;
  revert: (spec: string) => string;
  revertHelp: string;
  previousKept: (file: string) => string;
  saved: string;
  reverted: string;
  noEditedFlow: string;
  checkedOk: string;
  reloadFailed: (message: string) => string;
  notSaved: (count: number) => string;
  notChecked: (count: number) => string;
  warnings: string;
  at: (line: number, column: number) => string;
  topLevel: string;
  tooLarge: (kb: number, maxKb: number) => string;
  unreadable: (message: string) => string;
  diagramHeading: string;
  diagramOfDraft: string;
  diagramTitle: (name: string) => string;
  diagramLegend: (person: string, phrases: string[]) => string;
  diagramNone: string;
  edge: { open: string; closed: string; noAnswer: string; failure: string };
  badge: { start: string; person: string; unreachable: string };
  testCall: {
    heading: string;
    intro: string;
    needsScript: string;
    start: string;
    hangUp: string;
    keypad: string;
    speech: string;
    say: string;
    speechOff: string;
    playAudio: string;
    transcript: string;
    state: string;
    stage: string;
    route: string;
    endReason: string;
    states: {
      idle: string;
      ringing: string;
      connected: string;
      transferring: string;
      ended: string;
    };
    kinds: {
      prompt: string;
      pressed: string;
      said: string;
      heard: string;
      choice: string;
      route: string;
    };
    interrupted: string;
    invalidDraft: string;
    limit: string;
    gone: string;
    failed: string;
  };
}

export const FLOWS_MESSAGES = defineCatalog<FlowsMessages>({
  en: {
    title: 'linekeeper · call flow',
    heading: 'Call flow',
    inEffectEdited: (file) => `In effect: the flow edited on this page (${file}).`,
    inEffectConfigured: (spec, file) =>
      `In effect: the configured flow, call.flow = ${spec}${file ? ` (${file})` : ''}.`,
    summary: (name, nodes, hash) => `“${name}”, ${nodes} nodes, version ${hash}.`,
    precedence:
      'A flow saved here is kept in the data directory and takes precedence over call.flow in the config until you revert.',
    editor: 'Flow (YAML)',
    editorHelp:
      'Same rules as “linekeeper check-flow”: every problem is listed with its line and column. Calls in progress keep the flow they started with.',
    check: 'Check',
    save: 'Save and load',
    revert: (spec) => `Revert to the configured flow (${spec})`,
    revertHelp: 'The edited flow is kept as the previous version.',
    previousKept: (file) => `The version before the last change is kept in ${file}.`,
    saved:
      'Saved. The appliance loaded the new flow; calls in progress finish with the one they started with.',
    reverted: 'Reverted: the configured flow is in effect again.',
    noEditedFlow: 'There is no edited flow to revert: the configured flow is already in effect.',
    checkedOk: 'No problems found. The diagram below shows the draft; it is not saved yet.',
    reloadFailed: (message) =>
      `The flow was saved but the appliance could not load it: ${message}. It keeps running the flow it had.`,
    notSaved: (count) => `Not saved: the flow has ${count} problem${count === 1 ? '' : 's'}.`,
    notChecked: (count) => `The flow has ${count} problem${count === 1 ? '' : 's'}.`,
    warnings: 'Warnings (the flow still works):',
    at: (line, column) => `line ${line}, column ${column}`,
    topLevel: '(top level)',
    tooLarge: (kb, maxKb) =>
      `Flow: ${kb} KB is too large; a flow may have at most ${maxKb} KB. Nothing was saved.`,
    unreadable: (message) => `The flow in effect cannot be read: ${message}`,
    diagramHeading: 'Menu tree',
    diagramOfDraft: 'Menu tree of the draft',
    diagramTitle: (name) => `Menu tree of “${name}”`,
    diagramLegend: (person, phrases) =>
      `Every menu also leads to “${person}” with key 0 or a word such as ${phrases.map((p) => `“${p}”`).join(' or ')}, and repeats itself with *. Hover over a box to read what the caller hears there.`,
    diagramNone: 'No diagram: the flow has problems.',
    edge: { open: 'open', closed: 'closed', noAnswer: 'no answer', failure: 'no choice' },
    badge: { start: 'start', person: 'person', unreachable: 'unreachable' },
    testCall: {
      heading: 'Test call',
      intro:
        'Calls the flow as it is in the editor now (saved or not) on a simulated line inside the appliance. The real line, the relays, MQTT and the call log are not touched. At most two test calls at a time, five minutes each.',
      needsScript: 'The test call needs JavaScript in this browser.',
      start: 'Start test call',
      hangUp: 'Hang up',
      keypad: 'Keypad',
      speech: 'Say something',
      say: 'Say',
      speechOff: 'Speech recognition is off on this appliance: callers can only press keys.',
      playAudio: 'Play the prompts aloud',
      transcript: 'What the caller hears',
      state: 'Call',
      stage: 'At',
      route: 'Route',
      endReason: 'Ended',
      states: {
        idle: 'no call',
        ringing: 'ringing',
        connected: 'connected',
        transferring: 'transferring',
        ended: 'ended',
      },
      kinds: {
        prompt: 'hears',
        pressed: 'pressed',
        said: 'said',
        heard: 'understood',
        choice: 'choice',
        route: 'route',
      },
      interrupted: '(interrupted)',
      invalidDraft: 'The flow in the editor has problems; check it first.',
      limit: 'Too many test calls are running; hang one up or wait until it ends.',
      gone: 'This test call is over or belongs to another session.',
      failed: 'The request failed',
    },
  },
  de: {
    title: 'linekeeper · Anrufablauf',
    heading: 'Anrufablauf',
    inEffectEdited: (file) => `Aktiv: der auf dieser Seite bearbeitete Ablauf (${file}).`,
    inEffectConfigured: (spec, file) =>
      `Aktiv: der konfigurierte Ablauf, call.flow = ${spec}${file ? ` (${file})` : ''}.`,
    summary: (name, nodes, hash) => `„${name}“, ${nodes} Knoten, Version ${hash}.`,
    precedence:
      'Ein hier gespeicherter Ablauf liegt im Datenverzeichnis und hat Vorrang vor call.flow in der Konfiguration, bis Sie ihn zurücksetzen.',
    editor: 'Ablauf (YAML)',
    editorHelp:
      'Dieselben Regeln wie „linekeeper check-flow“: Jedes Problem wird mit Zeile und Spalte genannt. Laufende Anrufe behalten den Ablauf, mit dem sie begonnen haben.',
    check: 'Prüfen',
    save: 'Speichern und laden',
    revert: (spec) => `Zum konfigurierten Ablauf zurückkehren (${spec})`,
    revertHelp: 'Der bearbeitete Ablauf bleibt als vorherige Version erhalten.',
    previousKept: (file) => `Die Version vor der letzten Änderung liegt in ${file}.`,
    saved:
      'Gespeichert. Das Gerät hat den neuen Ablauf geladen; laufende Anrufe enden mit dem Ablauf, mit dem sie begonnen haben.',
    reverted: 'Zurückgesetzt: Der konfigurierte Ablauf ist wieder aktiv.',
    noEditedFlow:
      'Es gibt keinen bearbeiteten Ablauf zum Zurücksetzen: Der konfigurierte Ablauf ist bereits aktiv.',
    checkedOk:
      'Keine Probleme gefunden. Das Diagramm unten zeigt den Entwurf; er ist noch nicht gespeichert.',
    reloadFailed: (message) =>
      `Der Ablauf wurde gespeichert, aber das Gerät konnte ihn nicht laden: ${message}. Es arbeitet mit dem bisherigen Ablauf weiter.`,
    notSaved: (count) =>
      `Nicht gespeichert: Der Ablauf hat ${count} ${count === 1 ? 'Problem' : 'Probleme'}.`,
    notChecked: (count) => `Der Ablauf hat ${count} ${count === 1 ? 'Problem' : 'Probleme'}.`,
    warnings: 'Hinweise (der Ablauf funktioniert trotzdem):',
    at: (line, column) => `Zeile ${line}, Spalte ${column}`,
    topLevel: '(oberste Ebene)',
    tooLarge: (kb, maxKb) =>
      `Ablauf: ${kb} KB sind zu groß; ein Ablauf darf höchstens ${maxKb} KB haben. Es wurde nichts gespeichert.`,
    unreadable: (message) => `Der aktive Ablauf kann nicht gelesen werden: ${message}`,
    diagramHeading: 'Menübaum',
    diagramOfDraft: 'Menübaum des Entwurfs',
    diagramTitle: (name) => `Menübaum von „${name}“`,
    diagramLegend: (person, phrases) =>
      `Jedes Menü führt außerdem mit der Taste 0 oder einem Wort wie ${phrases.map((p) => `„${p}“`).join(' oder ')} zu „${person}“ und wiederholt sich mit *. Fahren Sie mit der Maus über ein Feld, um zu lesen, was der Anrufer dort hört.`,
    diagramNone: 'Kein Diagramm: Der Ablauf hat Probleme.',
    edge: {
      open: 'geöffnet',
      closed: 'geschlossen',
      noAnswer: 'keine Antwort',
      failure: 'keine Wahl',
    },
    badge: { start: 'Start', person: 'Person', unreachable: 'unerreichbar' },
    testCall: {
      heading: 'Testanruf',
      intro:
        'Ruft den Ablauf so an, wie er gerade im Editor steht (gespeichert oder nicht), auf einer simulierten Leitung im Gerät. Die echte Leitung, die Relais, MQTT und das Anrufprotokoll bleiben unberührt. Höchstens zwei Testanrufe gleichzeitig, je fünf Minuten.',
      needsScript: 'Der Testanruf braucht JavaScript in diesem Browser.',
      start: 'Testanruf starten',
      hangUp: 'Auflegen',
      keypad: 'Tastenfeld',
      speech: 'Etwas sagen',
      say: 'Sagen',
      speechOff:
        'Die Spracherkennung ist auf diesem Gerät ausgeschaltet: Anrufer können nur Tasten drücken.',
      playAudio: 'Ansagen hörbar abspielen',
      transcript: 'Was der Anrufer hört',
      state: 'Anruf',
      stage: 'Bei',
      route: 'Weiterleitung',
      endReason: 'Beendet',
      states: {
        idle: 'kein Anruf',
        ringing: 'klingelt',
        connected: 'verbunden',
        transferring: 'wird weitergeleitet',
        ended: 'beendet',
      },
      kinds: {
        prompt: 'hört',
        pressed: 'gedrückt',
        said: 'gesagt',
        heard: 'verstanden',
        choice: 'Wahl',
        route: 'Weiterleitung',
      },
      interrupted: '(unterbrochen)',
      invalidDraft: 'Der Ablauf im Editor hat Probleme; bitte zuerst prüfen.',
      limit: 'Es laufen zu viele Testanrufe; legen Sie einen auf oder warten Sie, bis er endet.',
      gone: 'Dieser Testanruf ist vorbei oder gehört zu einer anderen Sitzung.',
      failed: 'Die Anfrage ist fehlgeschlagen',
    },
  },
  es: {
    title: 'linekeeper · flujo de llamadas',
    heading: 'Flujo de llamadas',
    inEffectEdited: (file) => `En uso: el flujo editado en esta página (${file}).`,
    inEffectConfigured: (spec, file) =>
      `En uso: el flujo configurado, call.flow = ${spec}${file ? ` (${file})` : ''}.`,
    summary: (name, nodes, hash) => `«${name}», ${nodes} nodos, versión ${hash}.`,
    precedence:
      'Un flujo guardado aquí se conserva en el directorio de datos y tiene prioridad sobre call.flow de la configuración hasta que lo revierta.',
    editor: 'Flujo (YAML)',
    editorHelp:
      'Las mismas reglas que «linekeeper check-flow»: cada problema se indica con su línea y columna. Las llamadas en curso conservan el flujo con el que empezaron.',
    check: 'Comprobar',
    save: 'Guardar y cargar',
    revert: (spec) => `Volver al flujo configurado (${spec})`,
    revertHelp: 'El flujo editado se conserva como versión anterior.',
    previousKept: (file) => `La versión anterior al último cambio se guarda en ${file}.`,
    saved:
      'Guardado. El equipo cargó el nuevo flujo; las llamadas en curso terminan con el flujo con el que empezaron.',
    reverted: 'Revertido: el flujo configurado vuelve a estar en uso.',
    noEditedFlow: 'No hay ningún flujo editado que revertir: el flujo configurado ya está en uso.',
    checkedOk:
      'No se encontraron problemas. El diagrama de abajo muestra el borrador; aún no está guardado.',
    reloadFailed: (message) =>
      `El flujo se guardó, pero el equipo no pudo cargarlo: ${message}. Sigue funcionando con el flujo que tenía.`,
    notSaved: (count) =>
      `No se guardó: el flujo tiene ${count} ${count === 1 ? 'problema' : 'problemas'}.`,
    notChecked: (count) => `El flujo tiene ${count} ${count === 1 ? 'problema' : 'problemas'}.`,
    warnings: 'Avisos (el flujo funciona igualmente):',
    at: (line, column) => `línea ${line}, columna ${column}`,
    topLevel: '(nivel superior)',
    tooLarge: (kb, maxKb) =>
      `Flujo: ${kb} KB es demasiado grande; un flujo puede tener como máximo ${maxKb} KB. No se guardó nada.`,
    unreadable: (message) => `No se puede leer el flujo en uso: ${message}`,
    diagramHeading: 'Árbol de menús',
    diagramOfDraft: 'Árbol de menús del borrador',
    diagramTitle: (name) => `Árbol de menús de «${name}»`,
    diagramLegend: (person, phrases) =>
      `Cada menú lleva además a «${person}» con la tecla 0 o una palabra como ${phrases.map((p) => `«${p}»`).join(' u ')}, y se repite con *. Pase el ratón sobre un recuadro para leer lo que oye quien llama.`,
    diagramNone: 'Sin diagrama: el flujo tiene problemas.',
    edge: {
      open: 'abierto',
      closed: 'cerrado',
      noAnswer: 'sin respuesta',
      failure: 'sin elección',
    },
    badge: { start: 'inicio', person: 'persona', unreachable: 'inalcanzable' },
    testCall: {
      heading: 'Llamada de prueba',
      intro:
        'Llama al flujo tal como está ahora en el editor (guardado o no) en una línea simulada dentro del equipo. No se tocan la línea real, los relés, MQTT ni el registro de llamadas. Como máximo dos llamadas de prueba a la vez, de cinco minutos cada una.',
      needsScript: 'La llamada de prueba necesita JavaScript en este navegador.',
      start: 'Iniciar llamada de prueba',
      hangUp: 'Colgar',
      keypad: 'Teclado',
      speech: 'Decir algo',
      say: 'Decir',
      speechOff:
        'El reconocimiento de voz está desactivado en este equipo: quien llama solo puede pulsar teclas.',
      playAudio: 'Reproducir los mensajes en voz alta',
      transcript: 'Lo que oye quien llama',
      state: 'Llamada',
      stage: 'En',
      route: 'Destino',
      endReason: 'Terminada',
      states: {
        idle: 'sin llamada',
        ringing: 'sonando',
        connected: 'conectada',
        transferring: 'transfiriendo',
        ended: 'terminada',
      },
      kinds: {
        prompt: 'oye',
        pressed: 'pulsó',
        said: 'dijo',
        heard: 'entendido',
        choice: 'elección',
        route: 'destino',
      },
      interrupted: '(interrumpido)',
      invalidDraft: 'El flujo del editor tiene problemas; compruébelo primero.',
      limit: 'Hay demasiadas llamadas de prueba en curso; cuelgue una o espere a que termine.',
      gone: 'Esta llamada de prueba ha terminado o pertenece a otra sesión.',
      failed: 'La solicitud falló',
    },
  },
});
