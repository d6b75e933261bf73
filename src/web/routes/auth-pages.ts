import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';

function errorLine(error: string | null): SafeHtml | string {
  return error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : '';
}

export function setupPage(csrf: string, error: string | null, username = ''): SafeHtml {
  return layout({
    title: 'linekeeper · first-run setup',
    session: null,
    body: html`<h2>First-run setup</h2>
<p>Create the admin account. You need the setup code that linekeeper printed to its journal
(<code>journalctl -u linekeeper | grep setup</code>) or that is on the appliance's label.</p>
${errorLine(error)}
<form method="post" action="/setup" class="stacked">
<input type="hidden" name="csrf" value="${csrf}">
<label>Setup code <input name="code" required autocomplete="off" spellcheck="false"></label>
<label>Admin user name <input name="username" required value="${username}" autocomplete="username" pattern="[A-Za-z0-9._\\-]{1,32}"></label>
<label>Password (at least 12 characters) <input name="password" type="password" required minlength="12" autocomplete="new-password"></label>
<label>Password again <input name="password2" type="password" required minlength="12" autocomplete="new-password"></label>
<button type="submit">Create admin account</button>
</form>`,
  });
}

export function loginPage(csrf: string, error: string | null, username = ''): SafeHtml {
  return layout({
    title: 'linekeeper · log in',
    session: null,
    body: html`<h2>Log in</h2>
${errorLine(error)}
<form method="post" action="/login" class="stacked">
<input type="hidden" name="csrf" value="${csrf}">
<label>User name <input name="username" required value="${username}" autocomplete="username"></label>
<label>Password <input name="password" type="password" required autocomplete="current-password"></label>
<button type="submit">Log in</button>
</form>`,
  });
}
