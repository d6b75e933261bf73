import type { CallView } from '../call-view.js';
import { html, type SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { localTimestamp } from '../local-time.js';
import { CALL_ROW_MESSAGES, callerLabel, routeLabel, wordFor } from './call-row-messages.js';

/** "31.4 s" / "31,4 s": the decimal sign of the reader's language (live.js does the same). */
export function durationLabel(seconds: number, locale: Locale): string {
  return `${seconds.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;
}

export function callTableHead(locale: Locale): SafeHtml {
  const h = CALL_ROW_MESSAGES[locale].headers;
  return html`<thead><tr><th>${h.time}</th><th>${h.caller}</th><th>${h.route}</th><th>${h.choices}</th><th>${h.duration}</th><th>${h.ended}</th></tr></thead>`;
}

/** One call as a table row; the English values ride along in data-* for scripts and tests. */
export function callRow(call: CallView, locale: Locale): SafeHtml {
  const m = CALL_ROW_MESSAGES[locale];
  return html`<tr data-call-id="${call.id}"><td><time datetime="${call.startedAt}">${localTimestamp(new Date(call.startedAt))}</time></td><td>${callerLabel(m, call.caller)}</td><td class="route" data-route="${call.route}">${routeLabel(m, call.route, call.topic)}</td><td>${call.choices.join(', ')}</td><td>${durationLabel(call.durationSeconds, locale)}</td><td class="ended" data-end-reason="${call.endReason}">${wordFor(m.endReason, call.endReason)}</td></tr>`;
}
