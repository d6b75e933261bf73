import type { Flow } from '../../ivr/flow-schema.js';
import { globalPhrases } from '../../ivr/global-phrases.js';
import type { InputProblem } from '../../shared/errors.js';
import type { WebSession } from '../auth/web-auth.js';
import { flowDiagramSvg } from '../flows/flow-diagram-svg.js';
import type { FlowInEffect } from '../flows/flow-file-store.js';
import { html, type SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { FLOWS_MESSAGES } from './flows-messages.js';
import { layout } from './layout.js';

export interface FlowsPageState {
  session: WebSession;
  locale: Locale;
  /** The flow in effect, or null with `unreadable` when its file cannot be read. */
  inEffect: FlowInEffect | null;
  previousFile: string | null;
  /** What the editor shows: the flow in effect, or the draft that was just checked/refused. */
  editorText: string;
  notice: { kind: 'ok' | 'error'; text: string } | null;
  problems: InputProblem[];
  warnings: InputProblem[];
  /** The flow drawn as a diagram, and whether it is a draft rather than the flow in effect. */
  diagram: { flow: Flow; draft: boolean } | null;
  /** Speech recognition is on: the test call offers a text box for words. */
  speech: boolean;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/** The /flows page: where the flow comes from, the editor, the menu tree and the test call. */
export function flowsPage(s: FlowsPageState): string {
  const m = FLOWS_MESSAGES[s.locale];
  const inEffect = s.inEffect;
  const body = html`<link rel="stylesheet" href="/static/flows.css">
<h2>${m.heading}</h2>
<section id="flow-source">
${
  inEffect
    ? html`<p id="flow-in-effect" data-source="${inEffect.source}">${
        inEffect.source === 'edited'
          ? m.inEffectEdited(inEffect.file)
          : m.inEffectConfigured(
              inEffect.configuredSpec,
              inEffect.file === inEffect.configuredSpec ? null : inEffect.file,
            )
      }</p>`
    : ''
}
<p class="hint">${m.precedence}${s.previousFile ? html` ${m.previousKept(s.previousFile)}` : ''}</p>
${
  inEffect?.source === 'edited'
    ? html`<form method="post" action="/flows/revert" id="flow-revert"><input type="hidden" name="csrf" value="${s.session.csrfToken}"><button type="submit">${m.revert(inEffect.configuredSpec)}</button> <span class="hint">${m.revertHelp}</span></form>`
    : ''
}
</section>
${s.notice ? html`<p id="flow-notice" class="${s.notice.kind === 'ok' ? 'notice' : 'error'}" role="${s.notice.kind === 'ok' ? 'status' : 'alert'}">${s.notice.text}</p>` : ''}
${problemList('flow-problems', 'problems', s.problems, m)}
${s.warnings.length > 0 ? html`<p class="hint">${m.warnings}</p>${problemList('flow-warnings', 'warnings', s.warnings, m)}` : ''}
<div class="flow-workbench">
<form method="post" action="/flows" id="flow-form" class="flow-editor">
<input type="hidden" name="csrf" value="${s.session.csrfToken}">
<label for="flow-text">${m.editor}</label>
<textarea id="flow-text" name="flow" rows="32" spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off">${s.editorText}</textarea>
<p class="hint">${m.editorHelp}</p>
<p class="buttons"><button type="submit" formaction="/flows/check" id="flow-check">${m.check}</button> <button type="submit" id="flow-save">${m.save}</button></p>
</form>
${testCallSection(s)}
</div>
<section id="flow-diagram-section">
<h3>${s.diagram?.draft ? m.diagramOfDraft : m.diagramHeading}</h3>
${
  s.diagram
    ? html`<div class="diagram-frame">${flowDiagramSvg(s.diagram.flow, {
        ...m.edge,
        ...m.badge,
        title: m.diagramTitle(s.diagram.flow.name),
      })}</div><p class="hint">${m.diagramLegend(
        s.diagram.flow.person,
        globalPhrases(s.diagram.flow.language).person.slice(0, 2),
      )}</p>`
    : html`<p class="hint" id="no-diagram">${m.diagramNone}</p>`
}
</section>`;
  return layout({
    title: m.title,
    session: s.session,
    locale: s.locale,
    active: '/flows',
    scripts: ['/static/flows.js'],
    body,
  }).value;
}

function problemList(
  id: string,
  kind: 'problems' | 'warnings',
  problems: InputProblem[],
  m: (typeof FLOWS_MESSAGES)['en'],
): SafeHtml | '' {
  if (problems.length === 0) return '';
  return html`<ul id="${id}" class="${kind}">${problems.map(
    (p) =>
      html`<li${p.line === undefined ? '' : html` data-line="${p.line}" data-column="${p.column ?? 1}"`}>${
        p.line === undefined ? '' : html`<span class="where">${m.at(p.line, p.column ?? 1)}</span> `
      }<code>${p.path === '' ? m.topLevel : p.path}</code>: ${p.message}</li>`,
  )}</ul>`;
}

function testCallSection(s: FlowsPageState): SafeHtml {
  const t = FLOWS_MESSAGES[s.locale].testCall;
  return html`<section id="test-call" aria-labelledby="test-call-heading" data-messages="${JSON.stringify(t)}" data-speech="${s.speech ? 'on' : 'off'}">
<h3 id="test-call-heading">${t.heading}</h3>
<p class="hint">${t.intro}</p>
<noscript><p class="error">${t.needsScript}</p></noscript>
<div id="test-call-ui" hidden>
<p class="buttons"><button type="button" id="test-call-start">${t.start}</button> <button type="button" id="test-call-hangup" disabled>${t.hangUp}</button></p>
<p><label><input type="checkbox" id="test-call-audio" checked> ${t.playAudio}</label></p>
<dl id="test-call-status" class="test-call-status">
<div><dt>${t.state}</dt><dd id="tc-state">${t.states.idle}</dd></div>
<div><dt>${t.stage}</dt><dd id="tc-stage">–</dd></div>
<div><dt>${t.route}</dt><dd id="tc-route">–</dd></div>
</dl>
<p id="test-call-error" class="error" role="alert" hidden></p>
<div class="keypad" role="group" aria-label="${t.keypad}">${KEYS.map(
    (key) => html`<button type="button" data-key="${key}" disabled>${key}</button>`,
  )}</div>
${
  s.speech
    ? html`<form id="test-call-speech" class="speech"><label for="tc-speech">${t.speech}</label> <input id="tc-speech" maxlength="200" autocomplete="off" disabled> <button type="submit" disabled>${t.say}</button></form>`
    : html`<p class="hint" id="tc-speech-off">${t.speechOff}</p>`
}
<h4>${t.transcript}</h4>
<ol id="transcript" aria-live="polite"></ol>
</div>
</section>`;
}
