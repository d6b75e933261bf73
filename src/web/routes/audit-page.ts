import type { FastifyInstance } from 'fastify';
import type { AuditEntry, AuditLog } from '../../storage/audit-log-port.js';
import type { WebAuth } from '../auth/web-auth.js';
import { html, type SafeHtml } from '../html.js';
import { localTimestamp } from '../local-time.js';
import { requireLogin } from '../plugins/request-guards.js';
import { layout } from './layout.js';

const SHOWN = 500;

function row(entry: AuditEntry): SafeHtml {
  return html`<tr class="outcome-${entry.outcome}"><td><time datetime="${entry.at.toISOString()}">${localTimestamp(entry.at)}</time></td><td>${entry.actor}</td><td>${entry.action}</td><td>${entry.subject ?? ''}</td><td>${entry.outcome}</td><td><code>${JSON.stringify(entry.detail)}</code></td></tr>`;
}

/** The audit log, newest first; admins only (it names staff and caller hashes). */
export function registerAuditPage(app: FastifyInstance, auth: WebAuth, audit: AuditLog): void {
  app.get('/audit', { onRequest: requireLogin(auth, ['admin']) }, async (request, reply) => {
    const entries = audit.entries({ limit: SHOWN });
    const body = html`<h2>Audit log</h2>
<p>The newest ${SHOWN} entries.</p>
<table id="audit">
<thead><tr><th>Time</th><th>Who</th><th>Action</th><th>Subject</th><th>Outcome</th><th>Detail</th></tr></thead>
<tbody>${entries.map(row)}</tbody>
</table>`;
    return reply.type('text/html; charset=utf-8').send(
      layout({
        title: 'linekeeper · audit log',
        session: request.webSession,
        locale: request.locale,
        active: '/audit',
        body,
      }).value,
    );
  });
}
