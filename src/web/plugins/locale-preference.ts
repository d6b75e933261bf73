import type { FastifyInstance } from 'fastify';
import { isLocale, type Locale, negotiateLocale } from '../i18n/locale.js';
import { readCookie } from './cookies.js';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
  }
}

const COOKIE = 'lang';
/** A year: the language of a desk's browser is a preference, not a secret. */
const COOKIE_MAX_AGE_S = 365 * 24 * 3600;

/**
 * The page language: the `lang` cookie (set by the language links at the foot of every page),
 * else the browser's Accept-Language, else the appliance's configured language.
 *
 * `?lang=de` on any page sets the cookie and redirects to the same address without it, so the
 * pages' own query validation never sees the parameter and a bookmarked address stays clean.
 * Choosing a language changes nothing on the appliance, so it needs no CSRF token.
 */
export function registerLocalePreference(
  app: FastifyInstance,
  options: { fallback: Locale; secure: boolean },
): void {
  app.decorateRequest('locale', options.fallback);
  app.addHook('onRequest', async (request, reply) => {
    const url = new URL(request.url, 'http://localhost');
    const asked = url.searchParams.get('lang');
    if (asked !== null && request.method === 'GET') {
      url.searchParams.delete('lang');
      // The footer links are `?lang=xx`, which drops the page's own query (a filtered call
      // log); the browser's same-origin Referer still has it, so the redirect brings it back.
      if (url.search === '') {
        const back = samePageReferer(request.headers.referer, request.headers.host, url.pathname);
        for (const [key, value] of back?.searchParams ?? [])
          if (key !== 'lang') url.searchParams.append(key, value);
      }
      if (isLocale(asked)) {
        const attributes = [`${COOKIE}=${asked}`, 'Path=/', `Max-Age=${COOKIE_MAX_AGE_S}`];
        attributes.push('SameSite=Lax');
        if (options.secure) attributes.push('Secure');
        reply.header('set-cookie', attributes.join('; '));
      }
      return reply.redirect(`${url.pathname}${url.search}`, 303);
    }
    const chosen = readCookie(request.headers.cookie, COOKIE);
    request.locale = isLocale(chosen)
      ? chosen
      : negotiateLocale(request.headers['accept-language'], options.fallback);
    return undefined;
  });
}

/** The Referer when it is this page on this host (Referrer-Policy: same-origin sends it). */
function samePageReferer(
  referer: string | undefined,
  host: string | undefined,
  pathname: string,
): URL | null {
  if (!referer || !host) return null;
  try {
    const url = new URL(referer);
    return url.host === host && url.pathname === pathname ? url : null;
  } catch {
    return null;
  }
}
