import { existsSync } from 'node:fs';
import type { WebSession } from '../auth/web-auth.js';
import { html, SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { type PromptEntry, uploadPath } from '../settings/prompt-catalog.js';
import { layout } from './layout.js';
import { PROMPTS_MESSAGES } from './prompts-messages.js';

/** URL path segments of a prompt: language, then id (ids contain only [a-z0-9:-]). */
export const promptPath = (e: PromptEntry) =>
  `${encodeURIComponent(e.language)}/${encodeURIComponent(e.id)}`;

function entryRow(
  e: PromptEntry,
  recordingsDir: string,
  session: WebSession,
  m: (typeof PROMPTS_MESSAGES)['en'],
): SafeHtml {
  const path = promptPath(e);
  const recorded = existsSync(uploadPath(recordingsDir, e));
  return html`<tr data-prompt="${e.language}/${e.id}">
<td><code>${e.id}</code></td><td>${e.language}</td>
<td>${e.texts.map(
    (text, i) =>
      html`<p lang="${e.language}">${text}</p><audio controls preload="none" src="/prompts/audio/${path}?text=${i}"></audio>`,
  )}
<form method="post" action="/prompts/render" class="inline"><input type="hidden" name="csrf" value="${session.csrfToken}"><input type="hidden" name="prompt" value="${e.language}/${e.id}"><button type="submit">${m.rerender}</button></form></td>
<td class="recording">${
    recorded
      ? html`<audio controls preload="none" src="/prompts/recording/${path}"></audio>
<form method="post" action="/prompts/recording/${path}/delete" class="inline"><input type="hidden" name="csrf" value="${session.csrfToken}"><button type="submit">${m.remove}</button></form>`
      : html`<span>${m.noRecording}</span>`
  }
<form class="upload" action="/prompts/recording/${path}" data-csrf="${session.csrfToken}"><input type="file" name="wav" accept=".wav,audio/wav" aria-label="${m.recording} ${e.id} ${e.language}"><button type="submit">${m.upload}</button><output role="status"></output></form></td>
</tr>`;
}

/** JSON for a non-executed script block: `<` escaped so no text can close the element. */
function scriptJson(value: unknown): SafeHtml {
  return new SafeHtml(JSON.stringify(value).replaceAll('<', '\\u003c'));
}

export function promptsPage(options: {
  flowName: string;
  entries: readonly PromptEntry[];
  recordingsDir: string;
  session: WebSession;
  locale: Locale;
  notice: string | null;
  error: string | null;
}): string {
  const { session, locale } = options;
  const m = PROMPTS_MESSAGES[locale];
  const body = html`<link rel="stylesheet" href="/static/settings.css">
<h2>${m.title}</h2>
<p>${m.intro(options.flowName)}</p>
${options.notice ? html`<p class="notice" id="notice" role="status">${options.notice}</p>` : ''}
${options.error ? html`<p class="error" id="form-error" role="alert">${options.error}</p>` : ''}
<p>${m.uploadHint}</p>
<noscript><p class="error">${m.needsScript}</p></noscript>
<form method="post" action="/prompts/render" id="render-all"><input type="hidden" name="csrf" value="${session.csrfToken}"><input type="hidden" name="prompt" value="all"><button type="submit">${m.rerenderAll}</button></form>
<script type="application/json" id="prompts-messages">${scriptJson({ noFile: m.noFile, tooLarge: m.rejected['too-large'] })}</script>
<table id="prompts">
<thead><tr><th>${m.id}</th><th>${m.language}</th><th>${m.text} / ${m.voice}</th><th>${m.recording}</th></tr></thead>
<tbody>${options.entries.map((e) => entryRow(e, options.recordingsDir, session, m))}</tbody>
</table>`;
  return layout({
    title: `linekeeper · ${m.title}`,
    session,
    locale,
    active: '/prompts',
    scripts: ['/static/prompts.js'],
    body,
  }).value;
}
