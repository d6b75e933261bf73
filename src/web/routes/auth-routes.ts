import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { passwordProblem, usernameProblem } from '../auth/credentials-rules.js';
import { DUMMY_HASH, hashSecret, verifySecret } from '../auth/password-hash.js';
import { normaliseSetupCode } from '../auth/setup-code.js';
import { actorOf, type WebAuth } from '../auth/web-auth.js';
import { field } from '../plugins/form-body.js';
import { AUTH_MESSAGES } from './auth-messages.js';
import { loginPage, setupPage } from './auth-pages.js';
import { startCodeStep } from './totp-login-routes.js';

function sendHtml(reply: FastifyReply, status: number, page: { value: string }) {
  return reply.code(status).type('text/html; charset=utf-8').send(page.value);
}

/** Audit subjects are user names as typed; a flood of junk names must not bloat the log. */
function typedName(value: string): string {
  return value.slice(0, 64);
}

/** /setup, /login and /logout. */
export function registerAuthRoutes(app: FastifyInstance, auth: WebAuth): void {
  const lockedReply = (reply: FastifyReply, until: number, page: { value: string }) => {
    const seconds = Math.max(1, Math.ceil((until - auth.now()) / 1000));
    reply.header('retry-after', String(seconds));
    return sendHtml(reply, 429, page);
  };
  const lockMessage = (request: FastifyRequest, until: number) =>
    AUTH_MESSAGES[request.locale].locked(Math.ceil((until - auth.now()) / 60_000));

  app.get('/setup', async (request, reply) => {
    if (auth.users.hasAdmin()) return reply.redirect('/login', 303);
    return sendHtml(reply, 200, setupPage(request.locale, auth.formToken(request, reply), null));
  });

  app.post('/setup', async (request, reply) => {
    const client = request.ip;
    const username = field(request.body, 'username').trim();
    const m = AUTH_MESSAGES[request.locale];
    const refuse = (status: number, reason: string, message: string) => {
      auth.audit({
        actor: 'web:anonymous',
        action: 'auth.setup',
        subject: typedName(username) || null,
        outcome: 'refused',
        detail: { reason, client },
      });
      return sendHtml(
        reply,
        status,
        setupPage(request.locale, auth.formToken(request, reply), message, username),
      );
    };
    const codeHash = auth.users.setupCodeHash();
    if (auth.users.hasAdmin() || !codeHash) {
      return refuse(403, 'already-set-up', m.setup.alreadySetUp);
    }
    const key = `setup:${client}`;
    const lockedUntil = auth.throttle.lockedUntil(key, auth.now());
    if (lockedUntil) {
      auth.audit({
        actor: 'web:anonymous',
        action: 'auth.setup',
        subject: null,
        outcome: 'refused',
        detail: { reason: 'locked', client },
      });
      return lockedReply(
        reply,
        lockedUntil,
        setupPage(
          request.locale,
          auth.formToken(request, reply),
          lockMessage(request, lockedUntil),
          username,
        ),
      );
    }
    if (!(await verifySecret(normaliseSetupCode(field(request.body, 'code')), codeHash))) {
      const locked = auth.throttle.recordFailure(key, auth.now(), auth.throttlePolicy);
      if (locked) {
        reply.header('retry-after', String(Math.ceil((locked - auth.now()) / 1000)));
        return refuse(429, 'wrong-code-locked', lockMessage(request, locked));
      }
      return refuse(403, 'wrong-code', m.setup.wrongCode);
    }
    const problem =
      usernameProblem(username) ??
      passwordProblem(field(request.body, 'password'), field(request.body, 'password2'));
    if (problem) return refuse(400, problem, m.credentials[problem]);
    const admin = auth.users.createFirstAdmin({
      username,
      passwordHash: await hashSecret(field(request.body, 'password')),
      nowMs: auth.now(),
    });
    if (!admin) return refuse(403, 'already-set-up', m.setup.alreadySetUp);
    auth.throttle.clear(key);
    auth.audit({
      actor: `web:${admin.username}`,
      action: 'auth.setup',
      subject: admin.username,
      outcome: 'done',
      detail: { client, role: 'admin' },
    });
    auth.startSession(reply, admin);
    return reply.redirect('/', 303);
  });

  app.get('/login', async (request, reply) => {
    if (!auth.users.hasAdmin()) return reply.redirect('/setup', 303);
    if (request.webSession) return reply.redirect('/', 303);
    return sendHtml(reply, 200, loginPage(request.locale, auth.formToken(request, reply), null));
  });

  app.post('/login', async (request: FastifyRequest, reply) => {
    const client = request.ip;
    const username = field(request.body, 'username').trim();
    const password = field(request.body, 'password');
    const page = (message: string) =>
      loginPage(request.locale, auth.formToken(request, reply), message, username);
    const audit = (outcome: 'done' | 'refused', detail: Record<string, unknown>) =>
      auth.audit({
        actor: outcome === 'done' ? `web:${username}` : 'web:anonymous',
        action: 'auth.login',
        subject: typedName(username) || null,
        outcome,
        detail: { ...detail, client },
      });
    const keys = [`user:${username.toLowerCase()}`, `client:${client}`];
    // Checked before the password: a locked account does not even learn whether a guess was right.
    const lockedUntil = Math.max(...keys.map((k) => auth.throttle.lockedUntil(k, auth.now())));
    if (lockedUntil > 0) {
      audit('refused', { reason: 'locked' });
      return lockedReply(reply, lockedUntil, page(lockMessage(request, lockedUntil)));
    }
    const user = username ? auth.users.byName(username) : undefined;
    const ok = await verifySecret(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) {
      const locked = Math.max(
        ...keys.map((k) => auth.throttle.recordFailure(k, auth.now(), auth.throttlePolicy)),
      );
      if (locked) {
        audit('refused', { reason: 'wrong-password-locked' });
        return lockedReply(reply, locked, page(lockMessage(request, locked)));
      }
      audit('refused', { reason: user ? 'wrong-password' : 'unknown-user' });
      return sendHtml(reply, 401, page(AUTH_MESSAGES[request.locale].login.wrong));
    }
    // With a second factor the account's failure count is cleared only after the code: a
    // known password must not buy unlimited code guesses.
    if (auth.totp.isEnabled(user.id)) return startCodeStep(auth, request, reply, user);
    auth.throttle.clear(keys[0]!);
    audit('done', { role: user.role });
    auth.startSession(reply, user);
    return reply.redirect('/', 303);
  });

  app.post('/logout', async (request, reply) => {
    const session = request.webSession;
    if (session) {
      auth.audit({
        actor: actorOf(session),
        action: 'auth.logout',
        subject: session.user.username,
        outcome: 'done',
        detail: { client: request.ip },
      });
      auth.endSession(reply, session);
    }
    return reply.redirect('/login', 303);
  });
}
