import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StorageError } from '../../storage/storage-errors.js';
import type { Role } from '../../storage/user-store-port.js';
import { passwordProblem, usernameProblem } from '../auth/credentials-rules.js';
import { hashSecret } from '../auth/password-hash.js';
import { actorOf, type WebAuth, type WebSession } from '../auth/web-auth.js';
import { html } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { localTimestamp } from '../local-time.js';
import { field } from '../plugins/form-body.js';
import { requireLogin } from '../plugins/request-guards.js';
import { AUTH_MESSAGES } from './auth-messages.js';
import { layout } from './layout.js';
import { LAYOUT_MESSAGES } from './layout-messages.js';
import { USERS_MESSAGES } from './users-messages.js';

/** The user-name rule of credentials-rules.ts: anything else in the path is not an account. */
const USERNAME_IN_PATH = /^[A-Za-z0-9._-]{1,32}$/;

function usersPage(
  auth: WebAuth,
  session: WebSession,
  locale: Locale,
  notice: { ok?: string; error?: string; rowError?: string },
) {
  const m = USERS_MESSAGES[locale];
  const roles = LAYOUT_MESSAGES[locale].role;
  const withTotp = auth.totp.enabledUserIds();
  const csrf = html`<input type="hidden" name="csrf" value="${session.csrfToken}">`;
  const body = html`<h2>${m.heading}</h2>
${notice.ok ? html`<p class="notice" role="status" id="form-notice">${notice.ok}</p>` : ''}
${notice.rowError ? html`<p class="error" role="alert" id="form-error">${notice.rowError}</p>` : ''}
<table id="users">
<thead><tr><th>${m.name}</th><th>${m.role}</th><th>${m.created}</th><th>${m.twoStep}</th></tr></thead>
<tbody>${auth.users.list().map((u) => {
    const on = withTotp.has(u.id);
    const own = u.id === session.user.id;
    return html`<tr data-username="${u.username}"><td>${u.username}</td><td data-role="${u.role}">${roles[u.role]}</td><td>${localTimestamp(u.createdAt)}</td><td class="totp" data-totp="${on ? 'on' : 'off'}">${on ? m.on : m.off}${
      on && !own
        ? html` <form class="inline" method="post" action="/users/${u.username}/totp/reset">${csrf}<button type="submit">${m.reset}</button></form>`
        : own
          ? html` (<a href="/account">${m.ownAccount}</a>)`
          : ''
    }</td></tr>`;
  })}</tbody>
</table>
<h3>${m.newAccount}</h3>
${notice.error ? html`<p class="error" role="alert" id="form-error">${notice.error}</p>` : ''}
<form method="post" action="/users" class="stacked">
${csrf}
<label>${m.username} <input name="username" required autocomplete="off"></label>
<label>${m.role} <select name="role"><option value="staff">${roles.staff}</option><option value="admin">${roles.admin}</option></select></label>
<label>${m.password} <input name="password" type="password" required minlength="12" autocomplete="new-password"></label>
<label>${m.passwordAgain} <input name="password2" type="password" required minlength="12" autocomplete="new-password"></label>
<button type="submit">${m.create}</button>
</form>`;
  return layout({ title: m.title, session, locale, active: '/users', body }).value;
}

/**
 * Admins create staff (or further admin) accounts and reset another user's two-step login
 * (a lost phone); each is audited.
 */
export function registerUsersPage(app: FastifyInstance, auth: WebAuth): void {
  const guard = { onRequest: requireLogin(auth, ['admin']) };
  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    notice: { ok?: string; error?: string; rowError?: string },
  ) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(usersPage(auth, request.webSession!, request.locale, notice));

  app.get('/users', guard, async (request, reply) => send(request, reply, 200, {}));

  app.post('/users', guard, async (request, reply) => {
    const session = request.webSession!;
    const m = USERS_MESSAGES[request.locale];
    const username = field(request.body, 'username').trim();
    const role = field(request.body, 'role') as Role;
    const credentials = AUTH_MESSAGES[request.locale].credentials;
    const credentialProblem =
      usernameProblem(username) ??
      passwordProblem(field(request.body, 'password'), field(request.body, 'password2'));
    const problem =
      role === 'admin' || role === 'staff'
        ? credentialProblem && credentials[credentialProblem]
        : m.badRole;
    const refuse = (status: number, message: string, reason: string) => {
      auth.audit({
        actor: actorOf(session),
        action: 'users.create',
        subject: username.slice(0, 64) || null,
        outcome: 'refused',
        detail: { reason },
      });
      return send(request, reply, status, { error: message });
    };
    if (problem) return refuse(400, problem, credentialProblem ?? 'bad-role');
    try {
      auth.users.create({
        username,
        role,
        passwordHash: await hashSecret(field(request.body, 'password')),
        nowMs: auth.now(),
      });
    } catch (error) {
      if (error instanceof StorageError && error.code === 'USER_EXISTS')
        return refuse(409, m.userExists(username), 'user-exists');
      throw error;
    }
    auth.audit({
      actor: actorOf(session),
      action: 'users.create',
      subject: username,
      outcome: 'done',
      detail: { role },
    });
    return reply.redirect('/users', 303);
  });

  app.post<{ Params: { username: string } }>(
    '/users/:username/totp/reset',
    guard,
    async (request, reply) => {
      const session = request.webSession!;
      const m = USERS_MESSAGES[request.locale];
      const name = request.params.username;
      const audit = (outcome: 'done' | 'refused', detail: object = {}) =>
        auth.audit({
          actor: actorOf(session),
          action: 'users.totp.reset',
          subject: name.slice(0, 64),
          outcome,
          detail: { ...detail, client: request.ip },
        });
      const user = USERNAME_IN_PATH.test(name) ? auth.users.byName(name) : undefined;
      if (!user) {
        audit('refused', { reason: 'unknown-user' });
        return send(request, reply, 404, { rowError: m.unknownUser });
      }
      // One's own factor goes only with password and code (/account): a session left open
      // on a desk must not be enough to remove it.
      if (user.id === session.user.id) {
        audit('refused', { reason: 'own-account' });
        return send(request, reply, 400, { rowError: m.resetSelf });
      }
      if (!auth.totp.remove(user.id)) {
        audit('refused', { reason: 'none' });
        return send(request, reply, 409, { rowError: m.resetNone(user.username) });
      }
      audit('done');
      return send(request, reply, 200, { ok: m.resetDone(user.username) });
    },
  );
}
