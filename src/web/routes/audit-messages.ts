import { defineCatalog } from '../i18n/catalog.js';

/**
 * /audit. Actions ("auth.login") and details stay as written: they are the log's vocabulary,
 * searched for and quoted in support requests. Outcomes are translated for reading.
 */
export const AUDIT_MESSAGES = defineCatalog({
  en: {
    title: 'linekeeper · audit log',
    heading: 'Audit log',
    newest: (n: number) => `The newest ${n} entries.`,
    time: 'Time',
    who: 'Who',
    action: 'Action',
    subject: 'Subject',
    outcome: 'Outcome',
    detail: 'Detail',
    outcomes: { done: 'done', refused: 'refused', failed: 'failed' },
  },
  de: {
    title: 'linekeeper · Protokoll',
    heading: 'Protokoll',
    newest: (n: number) => `Die neuesten ${n} Einträge.`,
    time: 'Zeit',
    who: 'Wer',
    action: 'Aktion',
    subject: 'Betrifft',
    outcome: 'Ergebnis',
    detail: 'Details',
    outcomes: { done: 'erledigt', refused: 'abgewiesen', failed: 'fehlgeschlagen' },
  },
  es: {
    title: 'linekeeper · registro de auditoría',
    heading: 'Registro de auditoría',
    newest: (n: number) => `Las ${n} entradas más recientes.`,
    time: 'Hora',
    who: 'Quién',
    action: 'Acción',
    subject: 'Objeto',
    outcome: 'Resultado',
    detail: 'Detalle',
    outcomes: { done: 'hecho', refused: 'rechazado', failed: 'fallido' },
  },
});
