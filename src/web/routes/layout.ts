import type { WebSession } from '../auth/web-auth.js';
import { html, type SafeHtml } from '../html.js';
import { LOCALES, type Locale } from '../i18n/locale.js';
import { ALERT_SLOT } from './alert-banner.js';
import { LANGUAGE_NAMES, LAYOUT_MESSAGES } from './layout-messages.js';

type NavKey = keyof (typeof LAYOUT_MESSAGES)['en']['nav'];

interface NavItem {
  href: string;
  key: NavKey;
  adminOnly?: boolean;
}

/** Pages register here as they are built; staff see only the ones without adminOnly. */
const NAV: readonly NavItem[] = [
  { href: '/', key: 'dashboard' },
  { href: '/calls', key: 'calls' },
  { href: '/callbacks', key: 'callbacks' },
  { href: '/flows', key: 'flows', adminOnly: true },
  { href: '/prompts', key: 'prompts', adminOnly: true },
  { href: '/settings', key: 'settings', adminOnly: true },
  { href: '/users', key: 'users', adminOnly: true },
  { href: '/audit', key: 'audit', adminOnly: true },
  { href: '/privacy', key: 'privacy', adminOnly: true },
  { href: '/system', key: 'system', adminOnly: true },
];

/**
 * Every page's frame. Scripts only by src (the CSP forbids inline code); the logout button is a
 * form with the session's CSRF token, so no other site can log a user out.
 */
export function layout(options: {
  title: string;
  session: WebSession | null;
  locale: Locale;
  active?: string;
  scripts?: string[];
  header?: SafeHtml;
  body: SafeHtml;
}): SafeHtml {
  const { session } = options;
  const m = LAYOUT_MESSAGES[options.locale];
  const items = NAV.filter((item) => !item.adminOnly || session?.user.role === 'admin');
  return html`<!doctype html>
<html lang="${options.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title}</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
${(options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<header><h1>linekeeper</h1>${options.header ?? ''}${
    session
      ? html`<nav aria-label="${m.mainNav}">${items.map(
          (item) =>
            html`<a href="${item.href}"${item.href === options.active ? html` aria-current="page"` : ''}>${m.nav[item.key]}</a>`,
        )}</nav><form class="logout" method="post" action="/logout"><input type="hidden" name="csrf" value="${session.csrfToken}"><span id="whoami" data-role="${session.user.role}"><a href="/account"${options.active === '/account' ? html` aria-current="page"` : ''}>${session.user.username}</a> (${m.role[session.user.role]})</span> <button type="submit">${m.logout}</button></form>`
      : ''
  }</header>
<main>
${session ? ALERT_SLOT : ''}${options.body}
</main>
<footer><nav class="languages" aria-label="${m.language}">${LOCALES.map((locale) =>
    locale === options.locale
      ? html`<span lang="${locale}" aria-current="true">${LANGUAGE_NAMES[locale]}</span>`
      : html`<a lang="${locale}" hreflang="${locale}" href="?lang=${locale}">${LANGUAGE_NAMES[locale]}</a>`,
  )}</nav></footer>
</body>
</html>
`;
}

/** A short page for errors and refusals that a person reads in the browser. */
export function messagePage(
  title: string,
  message: string,
  session: WebSession | null,
  locale: Locale,
): SafeHtml {
  return layout({
    title,
    session,
    locale,
    body: html`<h2>${title}</h2><p class="error">${message}</p>`,
  });
}
