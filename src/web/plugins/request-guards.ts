import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../storage/user-store-port.js';
import { actorOf, type WebAuth, type WebSession } from '../auth/web-auth.js';
import { field } from './form-body.js';

declare module 'fastify' {
  interface FastifyRequest {
    webSession: WebSession | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Loads the session for every request and checks Origin and CSRF token on every form post. */
export function registerRequestGuards(app: FastifyInstance, auth: WebAuth): void {
  app.decorateRequest('webSession', null);
  app.addHook('onRequest', async (request) => {
    request.webSession = auth.currentSession(request);
  });
  // A preHandler, after the body is parsed: the token is a form field.
  app.addHook('preHandler', async (request, reply) => {
    if (SAFE_METHODS.has(request.method)) return;
    const problem = originProblem(request, auth.secure) ?? tokenProblem(request, auth);
    if (!problem) return;
    auth.audit({
      actor: actorOf(request.webSession),
      action: 'web.csrf',
      subject: null,
      outcome: 'refused',
      detail: { reason: problem, method: request.method, path: request.url, client: request.ip },
    });
    return reply
      .code(403)
      .type('text/plain')
      .send(`Forbidden: ${problem}. Reload the page and submit the form again.\n`);
  });
}

/** The page that sent the form must be this one: same scheme and host as the request. */
function originProblem(request: FastifyRequest, secure: boolean): string | null {
  const source = request.headers.origin ?? request.headers.referer;
  if (!source || source === 'null') return 'the request did not say which page sent it (Origin)';
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return 'the Origin header is not a URL';
  }
  const host = (request.headers.host ?? '').toLowerCase();
  if (url.host.toLowerCase() !== host || url.protocol !== (secure ? 'https:' : 'http:')) {
    return `the form was sent from another site (${url.origin})`;
  }
  return null;
}

function tokenProblem(request: FastifyRequest, auth: WebAuth): string | null {
  const sent = field(request.body, 'csrf');
  const expected = request.webSession?.csrfToken ?? auth.formCookieValue(request);
  if (!sent) return 'the form has no CSRF token';
  if (!expected || !sameText(sent, expected)) return 'the CSRF token is wrong or expired';
  return null;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Route guard: no session -> the login page (a page) or 401 (API); a role that may not see the
 * route -> 403. `roles` undefined means any signed-in user.
 */
export function requireLogin(auth: WebAuth, roles?: readonly Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const session = request.webSession;
    if (!session) {
      const api = request.url.startsWith('/api/') || request.url.startsWith('/events');
      if (api) {
        return reply.code(401).type('text/plain').send('Unauthorized: log in first.\n');
      }
      return reply.redirect(auth.users.hasAdmin() ? '/login' : '/setup', 303);
    }
    if (roles && !roles.includes(session.user.role)) {
      auth.audit({
        actor: actorOf(session),
        action: 'web.forbidden',
        subject: session.user.username,
        outcome: 'refused',
        detail: { method: request.method, path: request.url, role: session.user.role },
      });
      return reply
        .code(403)
        .type('text/plain')
        .send(`Forbidden: this page is for ${roles.join(' or ')} accounts only.\n`);
    }
    return undefined;
  };
}
