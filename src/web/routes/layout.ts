import type { WebSession } from '../auth/web-auth.js';
import { html, type SafeHtml } from '../html.js';

interface NavItem {
  href: string;
  label: string;
  adminOnly?: boolean;
}

const NAV: readonly NavItem[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/calls', label: 'Calls' },
  { href: '/callbacks', label: 'Callbacks' },
  { href: '/users', label: 'Users', adminOnly: true },
  { href: '/audit', label: 'Audit log', adminOnly: true },
];

/**
 * Every page's frame. Scripts only by src (the CSP forbids inline code); the logout button is a
 * form with the session's CSRF token, so no other site can log a user out.
 */
export function layout(options: {
  title: string;
  session: WebSession | null;
  active?: string;
  scripts?: string[];
  header?: SafeHtml;
  body: SafeHtml;
}): SafeHtml {
  const { session } = options;
  const items = NAV.filter((item) => !item.adminOnly || session?.user.role === 'admin');
  return html`<!doctype html>
<html lang="en">
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
      ? html`<nav>${items.map(
          (item) =>
            html`<a href="${item.href}"${item.href === options.active ? html` aria-current="page"` : ''}>${item.label}</a>`,
        )}</nav><form class="logout" method="post" action="/logout"><input type="hidden" name="csrf" value="${session.csrfToken}"><span id="whoami">${session.user.username} (${session.user.role})</span> <button type="submit">Log out</button></form>`
      : ''
  }</header>
<main>
${options.body}
</main>
</body>
</html>
`;
}

/** A short page for errors and refusals that a person reads in the browser. */
export function messagePage(title: string, message: string, session: WebSession | null): SafeHtml {
  return layout({ title, session, body: html`<h2>${title}</h2><p class="error">${message}</p>` });
}
