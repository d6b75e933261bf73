import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifySecret } from '../auth/password-hash.js';
import { groupedSecret, otpauthUri } from '../auth/totp.js';
import { qrCodeSvg } from '../auth/totp-qr.js';
import { actorOf, type WebAuth, type WebSession } from '../auth/web-auth.js';
import { html, type SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { field } from '../plugins/form-body.js';
import { requireLogin } from '../plugins/request-guards.js';
import { ACCOUNT_MESSAGES } from './account-messages.js';
import { AUTH_MESSAGES } from './auth-messages.js';
import { layout } from './layout.js';
import { LAYOUT_MESSAGES } from './layout-messages.js';

const ACCOUNT_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { saved: { type: 'string', enum: ['on', 'off'] } },
} as const;

/** What the authenticator app shows above the code. */
const ISSUER = 'linekeeper';

function accountPage(
  auth: WebAuth,
  session: WebSession,
  locale: Locale,
  notice: { ok?: string; error?: string },
): SafeHtml {
  const m = ACCOUNT_MESSAGES[locale];
  const { user } = session;
  const csrf = html`<input type="hidden" name="csrf" value="${session.csrfToken}">`;
  const pending = auth.totp.pendingSecret(user.id);
  const enabled = !pending && auth.totp.isEnabled(user.id);
  let section: SafeHtml;
  if (pending) {
    const uri = otpauthUri({ issuer: ISSUER, account: user.username, secret: pending });
    section = html`<p>${m.scan}</p>
<figure id="totp-qr" data-otpauth="${uri}">${qrCodeSvg(uri, m.qrLabel)}</figure>
<p>${m.secretLabel}: <code id="totp-secret">${groupedSecret(pending)}</code></p>
<p><small>${m.secretOnce}</small></p>
<form method="post" action="/account/totp/confirm" class="stacked">${csrf}
<label>${m.code} <input name="code" required inputmode="numeric" pattern="[0-9 ]{6,7}" maxlength="7" autocomplete="one-time-code"></label>
<button type="submit">${m.confirm}</button>
</form>
<form method="post" action="/account/totp/cancel">${csrf}<button type="submit" class="secondary">${m.cancel}</button></form>`;
  } else if (enabled) {
    section = html`<p id="totp-state" data-state="on">${m.on}</p>
<h4>${m.disableHeading}</h4>
<form method="post" action="/account/totp/disable" class="stacked">${csrf}
<label>${m.password} <input name="password" type="password" required autocomplete="current-password"></label>
<label>${m.code} <input name="code" required inputmode="numeric" pattern="[0-9 ]{6,7}" maxlength="7" autocomplete="one-time-code"></label>
<button type="submit">${m.disable}</button>
</form>`;
  } else {
    section = html`<p id="totp-state" data-state="off">${m.off}</p>
<p>${m.offExplain}</p>
<form method="post" action="/account/totp/start">${csrf}<button type="submit">${m.start}</button></form>`;
  }
  const role = LAYOUT_MESSAGES[locale].role[user.role];
  return layout({
    title: m.title,
    session,
    locale,
    active: '/account',
    body: html`<h2>${m.heading}</h2>
<p>${m.signedInAs(user.username, role)}</p>
${notice.ok ? html`<p class="notice" role="status" id="form-notice">${notice.ok}</p>` : ''}
${notice.error ? html`<p class="error" role="alert" id="form-error">${notice.error}</p>` : ''}
<section aria-labelledby="totp-heading">
<h3 id="totp-heading">${m.totpHeading}</h3>
${section}
</section>`,
  });
}

/**
 * /account: every signed-in user manages their own second factor. Switching it on needs a code
 * from the new secret; switching it off needs the password and a current code, so a session
 * left open on a desk is not enough to remove it. Every step is audited.
 */
export function registerAccountPage(app: FastifyInstance, auth: WebAuth): void {
  const guard = { onRequest: requireLogin(auth) };
  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    notice: { ok?: string; error?: string },
  ) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(accountPage(auth, request.webSession!, request.locale, notice).value);
  const audit = (
    request: FastifyRequest,
    action: string,
    outcome: 'done' | 'refused',
    detail: object = {},
  ) =>
    auth.audit({
      actor: actorOf(request.webSession),
      action,
      subject: request.webSession!.user.username,
      outcome,
      detail: { ...detail, client: request.ip },
    });

  app.get<{ Querystring: { saved?: 'on' | 'off' } }>(
    '/account',
    { ...guard, schema: { querystring: ACCOUNT_QUERY } },
    async (request, reply) => {
      const m = ACCOUNT_MESSAGES[request.locale];
      const saved = request.query.saved;
      return send(
        request,
        reply,
        200,
        saved ? { ok: saved === 'on' ? m.confirmed : m.disabled } : {},
      );
    },
  );

  app.post('/account/totp/start', guard, async (request, reply) => {
    const user = request.webSession!.user;
    if (!auth.totp.beginEnrolment(user.id)) {
      audit(request, 'auth.totp.enrol', 'refused', { reason: 'already-on' });
      return send(request, reply, 409, { error: ACCOUNT_MESSAGES[request.locale].alreadyOn });
    }
    audit(request, 'auth.totp.enrol', 'done');
    return reply.redirect('/account', 303);
  });

  app.post('/account/totp/confirm', guard, async (request, reply) => {
    const m = ACCOUNT_MESSAGES[request.locale];
    const result = auth.totp.confirm(request.webSession!.user.id, field(request.body, 'code'));
    if (result !== 'ok') {
      audit(request, 'auth.totp.confirm', 'refused', { reason: result });
      return send(request, reply, result === 'not-enrolled' ? 409 : 400, {
        error: result === 'not-enrolled' ? m.notPending : m.wrongCode,
      });
    }
    audit(request, 'auth.totp.confirm', 'done');
    return reply.redirect('/account?saved=on', 303);
  });

  app.post('/account/totp/cancel', guard, async (request, reply) => {
    const user = request.webSession!.user;
    // Only a setup still waiting for its code; an active factor needs password and code.
    if (auth.totp.pendingSecret(user.id)) {
      auth.totp.remove(user.id);
      audit(request, 'auth.totp.cancel', 'done');
    }
    return reply.redirect('/account', 303);
  });

  app.post('/account/totp/disable', guard, async (request, reply) => {
    const m = ACCOUNT_MESSAGES[request.locale];
    const user = request.webSession!.user;
    // Guesses here count like login failures: a borrowed session must not test passwords.
    const keys = [`user:${user.username.toLowerCase()}`, `client:${request.ip}`];
    const lockedUntil = Math.max(...keys.map((k) => auth.throttle.lockedUntil(k, auth.now())));
    const lockMessage = (until: number) =>
      AUTH_MESSAGES[request.locale].locked(Math.ceil((until - auth.now()) / 60_000));
    if (lockedUntil > 0) {
      audit(request, 'auth.totp.disable', 'refused', { reason: 'locked' });
      return send(request, reply, 429, { error: lockMessage(lockedUntil) });
    }
    const passwordOk = await verifySecret(field(request.body, 'password'), user.passwordHash);
    const code = passwordOk ? auth.totp.check(user.id, field(request.body, 'code')) : 'wrong';
    if (!passwordOk || code !== 'ok') {
      const reason = !passwordOk
        ? 'wrong-password'
        : code === 'replayed'
          ? 'code-replayed'
          : 'wrong-code';
      const locked = Math.max(
        ...keys.map((k) => auth.throttle.recordFailure(k, auth.now(), auth.throttlePolicy)),
      );
      audit(request, 'auth.totp.disable', 'refused', {
        reason: locked ? `${reason}-locked` : reason,
      });
      if (locked) return send(request, reply, 429, { error: lockMessage(locked) });
      const error = !passwordOk ? m.wrongPassword : code === 'replayed' ? m.replayed : m.wrongCode;
      return send(request, reply, 400, { error });
    }
    auth.totp.remove(user.id);
    audit(request, 'auth.totp.disable', 'done');
    return reply.redirect('/account?saved=off', 303);
  });
}
