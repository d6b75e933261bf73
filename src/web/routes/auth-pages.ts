import { html, type SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { AUTH_MESSAGES } from './auth-messages.js';
import { layout } from './layout.js';

function errorLine(error: string | null): SafeHtml | string {
  return error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : '';
}

export function setupPage(
  locale: Locale,
  csrf: string,
  error: string | null,
  username = '',
): SafeHtml {
  const m = AUTH_MESSAGES[locale].setup;
  return layout({
    title: m.title,
    session: null,
    locale,
    body: html`<h2>${m.heading}</h2>
<p>${m.intro} (<code>${m.introCommand}</code>) ${m.introLabel}</p>
${errorLine(error)}
<form method="post" action="/setup" class="stacked">
<input type="hidden" name="csrf" value="${csrf}">
<label>${m.code} <input name="code" required autocomplete="off" spellcheck="false"></label>
<label>${m.username} <input name="username" required value="${username}" autocomplete="username" pattern="[A-Za-z0-9._\\-]{1,32}"></label>
<label>${m.password} <input name="password" type="password" required minlength="12" autocomplete="new-password"></label>
<label>${m.passwordAgain} <input name="password2" type="password" required minlength="12" autocomplete="new-password"></label>
<button type="submit">${m.submit}</button>
</form>`,
  });
}

export function loginPage(
  locale: Locale,
  csrf: string,
  error: string | null,
  username = '',
): SafeHtml {
  const m = AUTH_MESSAGES[locale].login;
  return layout({
    title: m.title,
    session: null,
    locale,
    body: html`<h2>${m.heading}</h2>
${errorLine(error)}
<form method="post" action="/login" class="stacked">
<input type="hidden" name="csrf" value="${csrf}">
<label>${m.username} <input name="username" required value="${username}" autocomplete="username"></label>
<label>${m.password} <input name="password" type="password" required autocomplete="current-password"></label>
<button type="submit">${m.submit}</button>
</form>`,
  });
}
