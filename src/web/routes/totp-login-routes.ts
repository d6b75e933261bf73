import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebUser } from '../../storage/user-store-port.js';
import type { WebAuth } from '../auth/web-auth.js';
import { html, type SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { readCookie, serializeCookie } from '../plugins/cookies.js';
import { field } from '../plugins/form-body.js';
import { AUTH_MESSAGES } from './auth-messages.js';
import { loginPage } from './auth-pages.js';
import { layout } from './layout.js';
import { TOTP_LOGIN_MESSAGES } from './totp-login-messages.js';

function codePage(locale: Locale, csrf: string, user: string, error: string | null): SafeHtml {
  const m = TOTP_LOGIN_MESSAGES[locale];
  return layout({
    title: m.title,
    session: null,
    locale,
    body: html`<h2>${m.heading}</h2>
<p>${m.intro(user)}</p>
${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ''}
<form method="post" action="/login/code" class="stacked">
<input type="hidden" name="csrf" value="${csrf}">
<label>${m.code} <input name="code" required inputmode="numeric" pattern="[0-9 ]{6,7}" maxlength="7" autocomplete="one-time-code" autofocus></label>
<button type="submit">${m.submit}</button>
</form>
<p><a href="/login">${m.startAgain}</a></p>`,
  });
}

function sendHtml(reply: FastifyReply, status: number, page: SafeHtml) {
  return reply.code(status).type('text/html; charset=utf-8').send(page.value);
}

/**
 * After a correct password for an account with a second factor: a pending-login token (not a
 * session) in its own cookie, and on to the code form. Called by POST /login.
 */
export function startCodeStep(
  auth: WebAuth,
  request: FastifyRequest,
  reply: FastifyReply,
  user: WebUser,
) {
  const token = auth.pendingLogins.create(user, auth.now());
  auth.audit({
    actor: 'web:anonymous',
    action: 'auth.password',
    subject: user.username,
    outcome: 'done',
    detail: { next: 'totp', client: request.ip },
  });
  reply.header('set-cookie', serializeCookie(auth.pendingCookie, token, { secure: auth.secure }));
  return reply.redirect('/login/code', 303);
}

/** GET and POST /login/code: the second step. Wrong codes count like wrong passwords. */
export function registerTotpLoginRoutes(app: FastifyInstance, auth: WebAuth): void {
  const pendingOf = (request: FastifyRequest) => {
    const token = readCookie(request.headers.cookie, auth.pendingCookie);
    return { token, user: auth.pendingLogins.find(token, auth.now()) };
  };
  const dropPending = (reply: FastifyReply, token: string | undefined) => {
    auth.pendingLogins.delete(token);
    reply.header(
      'set-cookie',
      serializeCookie(auth.pendingCookie, '', { secure: auth.secure, clear: true }),
    );
  };

  app.get('/login/code', async (request, reply) => {
    if (request.webSession) return reply.redirect('/', 303);
    const { user } = pendingOf(request);
    if (!user) return reply.redirect('/login', 303);
    return sendHtml(
      reply,
      200,
      codePage(request.locale, auth.formToken(request, reply), user.username, null),
    );
  });

  app.post('/login/code', async (request, reply) => {
    const client = request.ip;
    const m = TOTP_LOGIN_MESSAGES[request.locale];
    const { token, user } = pendingOf(request);
    const audit = (outcome: 'done' | 'refused', subject: string | null, detail: object) =>
      auth.audit({
        actor: outcome === 'done' && subject ? `web:${subject}` : 'web:anonymous',
        action: 'auth.login',
        subject,
        outcome,
        detail: { ...detail, factor: 'totp', client },
      });
    if (!user) {
      audit('refused', null, { reason: 'no-pending-login' });
      dropPending(reply, token);
      return sendHtml(
        reply,
        401,
        loginPage(request.locale, auth.formToken(request, reply), m.expired),
      );
    }
    const page = (message: string) =>
      codePage(request.locale, auth.formToken(request, reply), user.username, message);
    const keys = [`user:${user.username.toLowerCase()}`, `client:${client}`];
    const lockedUntil = Math.max(...keys.map((k) => auth.throttle.lockedUntil(k, auth.now())));
    if (lockedUntil > 0) {
      audit('refused', user.username, { reason: 'locked' });
      dropPending(reply, token);
      return lockedReply(auth, request, reply, lockedUntil);
    }
    const result = auth.totp.check(user.id, field(request.body, 'code'));
    if (result !== 'ok') {
      const reason = result === 'replayed' ? 'code-replayed' : 'wrong-code';
      const locked = Math.max(
        ...keys.map((k) => auth.throttle.recordFailure(k, auth.now(), auth.throttlePolicy)),
      );
      if (locked) {
        audit('refused', user.username, { reason: `${reason}-locked` });
        dropPending(reply, token);
        return lockedReply(auth, request, reply, locked);
      }
      audit('refused', user.username, { reason });
      return sendHtml(reply, 401, page(result === 'replayed' ? m.replayed : m.wrong));
    }
    auth.throttle.clear(keys[0]!);
    dropPending(reply, token);
    audit('done', user.username, { role: user.role });
    auth.startSession(reply, user);
    return reply.redirect('/', 303);
  });
}

/** Locked out at the code step: back to the password form, which says for how long. */
function lockedReply(auth: WebAuth, request: FastifyRequest, reply: FastifyReply, until: number) {
  const seconds = Math.max(1, Math.ceil((until - auth.now()) / 1000));
  const minutes = Math.ceil((until - auth.now()) / 60_000);
  reply.header('retry-after', String(seconds));
  return sendHtml(
    reply,
    429,
    codeLockedPage(request.locale, AUTH_MESSAGES[request.locale].locked(minutes)),
  );
}

function codeLockedPage(locale: Locale, message: string): SafeHtml {
  const m = TOTP_LOGIN_MESSAGES[locale];
  return layout({
    title: m.title,
    session: null,
    locale,
    body: html`<h2>${m.heading}</h2><p class="error" role="alert" id="form-error">${message}</p><p><a href="/login">${m.startAgain}</a></p>`,
  });
}
