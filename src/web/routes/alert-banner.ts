import type { GuardStatus } from '../../status/status-sink-port.js';
import { html, SafeHtml } from '../html.js';
import { defineCatalog } from '../i18n/catalog.js';
import type { Locale } from '../i18n/locale.js';

interface AlertMessages {
  title: string;
  since: string;
  challenged: string;
  refused: string;
  blocked: string;
  advice: string;
}

export const ALERT_MESSAGES = defineCatalog<AlertMessages>({
  en: {
    title: 'Call flood',
    since: 'since',
    challenged: 'challenged',
    refused: 'refused',
    blocked: 'numbers blocked',
    advice:
      'Unknown callers must press digits they hear before the menu; known patients get through as usual.',
  },
  de: {
    title: 'Anrufflut',
    since: 'seit',
    challenged: 'geprüft',
    refused: 'abgewiesen',
    blocked: 'Nummern gesperrt',
    advice:
      'Unbekannte Anrufer müssen vor dem Menü vorgelesene Ziffern eintippen; bekannte Patienten kommen wie gewohnt durch.',
  },
  es: {
    title: 'Avalancha de llamadas',
    since: 'desde',
    challenged: 'verificadas',
    refused: 'rechazadas',
    blocked: 'números bloqueados',
    advice:
      'Quien llama desde un número desconocido debe marcar los dígitos que oye antes del menú; los pacientes conocidos pasan como siempre.',
  },
});

/**
 * Where the layout wants the banner: the web app's onSend hook puts it there on every page a
 * signed-in user gets (see withAlertBanner), so no page has to pass the status to the layout.
 */
export const ALERT_SLOT = new SafeHtml('<!--linekeeper:alerts-->');

/**
 * The call-flood banner. Always rendered for signed-in pages, hidden while the line is calm, so
 * static/alerts.js can show it and keep its counts current from the /events status stream.
 * The time is the server's local time; the script reformats it in the browser's.
 */
export function alertBanner(guard: GuardStatus | undefined, locale: Locale): SafeHtml {
  const m = ALERT_MESSAGES[locale];
  const flood = guard?.state === 'flood';
  const since = flood && guard.floodSince ? new Date(guard.floodSince) : null;
  return html`<div id="flood-alert" class="alert-banner" role="alert"${flood ? '' : html` hidden`}>
<strong>${m.title}</strong> ${m.since} <time data-field="since" datetime="${since?.toISOString() ?? ''}">${since ? hhmm(since) : ''}</time>:
<span data-field="challenged">${guard?.challenged ?? 0}</span> ${m.challenged},
<span data-field="refused">${guard?.refused ?? 0}</span> ${m.refused},
<span data-field="blockedNumbers">${guard?.blockedNumbers ?? 0}</span> ${m.blocked}. ${m.advice}
</div><script src="/static/alerts.js" defer></script>`;
}

/** Puts the banner into a rendered page at ALERT_SLOT; pages without the slot are unchanged. */
export function withAlertBanner(page: string, banner: SafeHtml): string {
  return page.replace(ALERT_SLOT.value, () => banner.value);
}

function hhmm(d: Date): string {
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
