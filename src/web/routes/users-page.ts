import type { FastifyInstance } from 'fastify';
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

function usersPage(auth: WebAuth, session: WebSession, locale: Locale, error: string | null) {
  const body = html`<h2>Users</h2>
<table id="users">
<thead><tr><th>Name</th><th>Role</th><th>Created</th></tr></thead>
<tbody>${auth.users
    .list()
    .map(
      (u) =>
        html`<tr><td>${u.username}</td><td>${u.role}</td><td>${localTimestamp(u.createdAt)}</td></tr>`,
    )}</tbody>
</table>
<h3>New account</h3>
${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ''}
<form method="post" action="/users" class="stacked">
<input type="hidden" name="csrf" value="${session.csrfToken}">
<label>User name <input name="username" required autocomplete="off"></label>
<label>Role <select name="role"><option value="staff">staff</option><option value="admin">admin</option></select></label>
<label>Password (at least 12 characters) <input name="password" type="password" required minlength="12" autocomplete="new-password"></label>
<label>Password again <input name="password2" type="password" required minlength="12" autocomplete="new-password"></label>
<button type="submit">Create account</button>
</form>`;
  return layout({ title: 'linekeeper · users', session, locale, active: '/users', body }).value;
}

/** Admins create staff (or further admin) accounts; each creation is audited. */
export function registerUsersPage(app: FastifyInstance, auth: WebAuth): void {
  const guard = { onRequest: requireLogin(auth, ['admin']) };
  app.get('/users', guard, async (request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(usersPage(auth, request.webSession!, request.locale, null)),
  );

  app.post('/users', guard, async (request, reply) => {
    const session = request.webSession!;
    const username = field(request.body, 'username').trim();
    const role = field(request.body, 'role') as Role;
    const credentials = AUTH_MESSAGES[request.locale].credentials;
    const credentialProblem =
      usernameProblem(username) ??
      passwordProblem(field(request.body, 'password'), field(request.body, 'password2'));
    const problem =
      role === 'admin' || role === 'staff'
        ? credentialProblem && credentials[credentialProblem]
        : 'Role: choose staff or admin.';
    const refuse = (status: number, message: string) => {
      auth.audit({
        actor: actorOf(session),
        action: 'users.create',
        subject: username.slice(0, 64) || null,
        outcome: 'refused',
        detail: { reason: message },
      });
      return reply
        .code(status)
        .type('text/html; charset=utf-8')
        .send(usersPage(auth, session, request.locale, message));
    };
    if (problem) return refuse(400, problem);
    try {
      auth.users.create({
        username,
        role,
        passwordHash: await hashSecret(field(request.body, 'password')),
        nowMs: auth.now(),
      });
    } catch (error) {
      if (error instanceof StorageError && error.code === 'USER_EXISTS')
        return refuse(409, error.message);
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
}
