import type { FastifyInstance } from 'fastify';
import type { AuditEntry, AuditLog } from '../../storage/audit-log-port.js';
import type { WebAuth } from '../auth/web-auth.js';
import { html, type SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { localTimestamp } from '../local-time.js';
import { requireLogin } from '../plugins/request-guards.js';
import { AUDIT_MESSAGES } from './audit-messages.js';
import { layout } from './layout.js';

const SHOWN = 500;

function row(entry: AuditEntry, locale: Locale): SafeHtml {
  const outcome = AUDIT_MESSAGES[locale].outcomes[entry.outcome];
  return html`<tr class="outcome-${entry.outcome}"><td><time datetime="${entry.at.toISOString()}">${localTimestamp(entry.at)}</time></td><td>${entry.actor}</td><td>${entry.action}</td><td>${entry.subject ?? ''}</td><td data-outcome="${entry.outcome}">${outcome}</td><td><code>${JSON.stringify(entry.detail)}</code></td></tr>`;
}

/** The audit log, newest first; admins only (it names staff and caller hashes). */
export function registerAuditPage(app: FastifyInstance, auth: WebAuth, audit: AuditLog): void {
  app.get('/audit', { onRequest: requireLogin(auth, ['admin']) }, async (request, reply) => {
    const entries = audit.entries({ limit: SHOWN });
    const m = AUDIT_MESSAGES[request.locale];
    const body = html`<h2>${m.heading}</h2>
<p>${m.newest(SHOWN)}</p>
<table id="audit">
<thead><tr><th>${m.time}</th><th>${m.who}</th><th>${m.action}</th><th>${m.subject}</th><th>${m.outcome}</th><th>${m.detail}</th></tr></thead>
<tbody>${entries.map((entry) => row(entry, request.locale))}</tbody>
</table>`;
    return reply.type('text/html; charset=utf-8').send(
      layout({
        title: m.title,
        session: request.webSession,
        locale: request.locale,
        active: '/audit',
        body,
      }).value,
    );
  });
}
