import type { FastifyInstance } from 'fastify';
import type { CallbackStore, OpenCallback } from '../../storage/callback-store-port.js';
import { actorOf, type WebAuth } from '../auth/web-auth.js';
import { html, type SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { localTimestamp } from '../local-time.js';
import { requireLogin } from '../plugins/request-guards.js';
import { wordFor } from './call-row-messages.js';
import { CALLBACKS_MESSAGES } from './callbacks-messages.js';
import { layout, messagePage } from './layout.js';

const ID_PATTERN = /^[0-9a-f-]{36}$/;

function row(callback: OpenCallback, csrf: string, locale: Locale): SafeHtml {
  const m = CALLBACKS_MESSAGES[locale];
  return html`<tr data-callback-id="${callback.id}"><td><time datetime="${callback.createdAt.toISOString()}">${localTimestamp(callback.createdAt)}</time></td><td class="number">${callback.number}</td><td>${callback.topic ?? ''}</td><td>${callback.window ?? ''}</td><td data-language="${callback.language}">${wordFor(m.languages, callback.language)}</td><td><form method="post" action="/callbacks/${callback.id}/handled"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">${m.markHandled}</button></form></td></tr>`;
}

/**
 * Open callback requests with the number to dial: the one page that shows a number in clear,
 * to signed-in staff only. Marking one handled deletes it and is audited by the store.
 */
export function registerCallbacksPage(
  app: FastifyInstance,
  auth: WebAuth,
  callbacks: CallbackStore,
): void {
  app.get('/callbacks', { onRequest: requireLogin(auth) }, async (request, reply) => {
    const session = request.webSession!;
    const open = callbacks.open(auth.now());
    const m = CALLBACKS_MESSAGES[request.locale];
    const body = html`<h2>${m.heading}</h2>
<table id="callbacks">
<thead><tr><th>${m.requested}</th><th>${m.number}</th><th>${m.topic}</th><th>${m.when}</th><th>${m.language}</th><th><span class="visually-hidden">${m.actions}</span></th></tr></thead>
<tbody>${open.map((c) => row(c, session.csrfToken, request.locale))}</tbody>
</table>
<p id="no-callbacks" ${open.length > 0 ? html`hidden` : ''}>${m.none}</p>`;
    return reply.type('text/html; charset=utf-8').send(
      layout({
        title: m.title,
        session,
        locale: request.locale,
        active: '/callbacks',
        body,
      }).value,
    );
  });

  app.post<{ Params: { id: string } }>(
    '/callbacks/:id/handled',
    { onRequest: requireLogin(auth) },
    async (request, reply) => {
      const { id } = request.params;
      const actor = actorOf(request.webSession);
      if (!ID_PATTERN.test(id) || !callbacks.markHandled(id, actor, auth.now())) {
        auth.audit({
          actor,
          action: 'callback.handled',
          subject: null,
          outcome: 'failed',
          detail: { callbackId: id.slice(0, 64), reason: 'not-found' },
        });
        return reply
          .code(404)
          .type('text/html; charset=utf-8')
          .send(
            messagePage(
              CALLBACKS_MESSAGES[request.locale].notFoundTitle,
              CALLBACKS_MESSAGES[request.locale].notFound,
              request.webSession,
              request.locale,
            ).value,
          );
      }
      return reply.redirect('/callbacks', 303);
    },
  );
}
