import type { FastifyInstance } from 'fastify';

/**
 * Headers for every response. The page uses only its own script and style files, so the
 * content security policy can forbid inline code entirely.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Not no-referrer: under it a browser sends `Origin: null` with a same-site form post, and the
  // CSRF check needs the real origin. same-origin still tells other sites nothing.
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/**
 * Only answer requests addressed to this host by a loopback name. Without this, any web page a
 * staff member visits could use DNS rebinding to read the call log from 127.0.0.1.
 */
export function registerHostCheck(app: FastifyInstance, allowedHosts: ReadonlySet<string>): void {
  app.addHook('onRequest', async (request, reply) => {
    const host = (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    if (!allowedHosts.has(host)) {
      await reply
        .code(421)
        .type('text/plain')
        .send('Misdirected request: this page answers only on its own address.\n');
    }
  });
}
