import type { FastifyInstance } from 'fastify';
import { ConfigInvalidError } from '../../config/config-errors.js';
import type { Config } from '../../config/config-schema.js';
import type { InputProblem } from '../../shared/errors.js';
import { actorOf, type WebAuth, type WebSession } from '../auth/web-auth.js';
import { html, type SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { field } from '../plugins/form-body.js';
import { requireLogin } from '../plugins/request-guards.js';
import {
  SETTING_FIELDS,
  SETTING_GROUPS,
  type SettingField,
  valueAt,
  valuesFromForm,
} from '../settings/settings-fields.js';
import type { SystemPagesDeps } from '../settings/system-pages-deps.js';
import { writeFailure } from '../write-failure.js';
import { layout } from './layout.js';
import { hoursSection } from './settings-hours.js';
import { SETTINGS_MESSAGES } from './settings-messages.js';
import { writeFailureText } from './write-failure-messages.js';

type Messages = (typeof SETTINGS_MESSAGES)['en'];

interface FormState {
  /** The value each field shows: what is saved, or what was just submitted and refused. */
  value: (path: string) => unknown;
  passwordSet: boolean;
  problems: InputProblem[];
  notice: SafeHtml | null;
}

/** A DOM id for a config key (`mqtt.url` -> `f-mqtt-url`). */
const idOf = (path: string) => `f-${path.replace(/\./g, '-')}`;

function input(f: SettingField, state: FormState, m: Messages): SafeHtml {
  const value = state.value(f.path);
  const id = idOf(f.path);
  const invalid = state.problems.some((p) => p.path === f.path);
  const aria = invalid ? html` aria-invalid="true" aria-describedby="${id}-error"` : '';
  switch (f.kind.type) {
    case 'choice':
      return html`<select id="${id}" name="${f.path}"${aria}>${f.kind.options.map(
        (o) => html`<option value="${o}"${o === value ? html` selected` : ''}>${o}</option>`,
      )}</select>`;
    case 'boolean':
      return html`<input id="${id}" type="checkbox" name="${f.path}"${value === true ? html` checked` : ''}${aria}>`;
    case 'integer':
      return html`<input id="${id}" name="${f.path}" inputmode="numeric" value="${value ?? ''}"${f.kind.nullable ? '' : html` required`}${aria}>`;
    case 'text':
      return html`<input id="${id}" name="${f.path}" value="${value ?? ''}" autocomplete="off"${f.kind.nullable ? '' : html` required`}${aria}>`;
    case 'secret':
      // Never echoed: the page says only whether one is set.
      return html`<input id="${id}" type="password" name="${f.path}" value="" autocomplete="new-password"${aria}>
<small>${state.passwordSet ? m.passwordSet : m.passwordUnset}</small>
${state.passwordSet ? html`<span class="inline"><input type="checkbox" id="${id}-clear" name="${f.path}.clear"> <label for="${id}-clear">${m.passwordClear}</label></span>` : ''}`;
  }
}

function fieldRow(f: SettingField, state: FormState, m: Messages): SafeHtml {
  const id = idOf(f.path);
  const problem = state.problems.find((p) => p.path === f.path);
  return html`<div class="setting${f.kind.type === 'boolean' ? ' check' : ''}">
<label for="${id}">${m.fields[f.path] ?? f.path} <code>${f.path}</code></label>
${input(f, state, m)}${problem ? html`<span class="error" id="${id}-error">${problem.message}</span>` : ''}
</div>`;
}

function settingsPage(
  deps: SystemPagesDeps,
  session: WebSession,
  locale: Locale,
  state: FormState,
  saved: Config | null,
): string {
  const m = SETTINGS_MESSAGES[locale];
  const pending = saved ? pendingKeys(saved, deps.running) : [];
  const errors =
    state.problems.length > 0
      ? html`<div class="error" role="alert" id="form-error"><p>${m.invalid}</p><ul>${state.problems.map(
          (p) => {
            const known = SETTING_FIELDS.some((f) => f.path === p.path);
            const label = m.fields[p.path] ?? p.path;
            return html`<li>${known ? html`<a href="#${idOf(p.path)}">${label}</a>` : label} (<code>${p.path || '-'}</code>): ${p.message}</li>`;
          },
        )}</ul></div>`
      : '';
  const body = html`<link rel="stylesheet" href="/static/settings.css">
<h2>${m.title}</h2>
<p>${m.intro}</p>
${state.notice ?? ''}
${pending.length > 0 ? html`<p class="notice" id="pending">${m.pending(pending.join(', '))} <a href="/system#restart">${m.restartOnSystem}</a></p>` : ''}
${errors}
<form method="post" action="/settings" class="settings" id="settings-form" novalidate>
<input type="hidden" name="csrf" value="${session.csrfToken}">
${SETTING_GROUPS.map(
  (group) => html`<fieldset id="group-${group}"><legend>${m.groups[group]}</legend>
${SETTING_FIELDS.filter((f) => f.group === group).map((f) => fieldRow(f, state, m))}
</fieldset>`,
)}
<button type="submit">${m.save}</button>
</form>
${hoursSection(deps.flow(), m)}`;
  return layout({ title: `linekeeper · ${m.title}`, session, locale, active: '/settings', body })
    .value;
}

/** Settings whose saved value is not the one running: they wait for a restart. */
function pendingKeys(saved: Config, running: Config): string[] {
  return SETTING_FIELDS.filter(
    (f) => JSON.stringify(valueAt(saved, f.path)) !== JSON.stringify(valueAt(running, f.path)),
  ).map((f) => f.path);
}

function savedState(
  deps: SystemPagesDeps,
  m: Messages,
): { state: FormState; saved: Config | null } {
  try {
    const saved = deps.settings.saved();
    return {
      saved,
      state: {
        value: (path) => valueAt(saved, path),
        passwordSet: saved.mqtt.password !== null,
        problems: [],
        notice: null,
      },
    };
  } catch (error) {
    // A hand-edited settings file that no longer loads: say so, show what runs, allow a fix.
    const running = deps.running;
    return {
      saved: null,
      state: {
        value: (path) => valueAt(running, path),
        passwordSet: running.mqtt.password !== null,
        problems: error instanceof ConfigInvalidError ? error.problems : [],
        notice: html`<p class="error" role="alert">${m.unreadable((error as Error).message.split('\n')[0] ?? '')}</p>`,
      },
    };
  }
}

/**
 * /settings (admin): line, GPIO, MQTT, retention and language, written to the settings file
 * in dataDir and validated with the config schema; business hours shown from the flow.
 */
export function registerSettingsPage(
  app: FastifyInstance,
  auth: WebAuth,
  deps: SystemPagesDeps,
): void {
  const guard = { onRequest: requireLogin(auth, ['admin']) };
  const send = (reply: import('fastify').FastifyReply, status: number, page: string) =>
    reply.code(status).type('text/html; charset=utf-8').send(page);

  app.get<{ Querystring: { saved?: string } }>('/settings', guard, async (request, reply) => {
    const m = SETTINGS_MESSAGES[request.locale];
    const { state, saved } = savedState(deps, m);
    const flag = request.query.saved;
    if (flag === '1')
      state.notice = html`<p class="notice" id="saved" role="status">${m.saved}</p>`;
    if (flag === '0')
      state.notice = html`<p class="notice" id="saved" role="status">${m.nothingChanged}</p>`;
    return send(reply, 200, settingsPage(deps, request.webSession!, request.locale, state, saved));
  });

  app.post('/settings', guard, async (request, reply) => {
    const session = request.webSession!;
    const m = SETTINGS_MESSAGES[request.locale];
    const submitted = valuesFromForm((name) => field(request.body, name));
    let changed: string[];
    try {
      changed = deps.settings.save(submitted);
    } catch (error) {
      const failure = error instanceof ConfigInvalidError ? null : writeFailure(error);
      if (failure) {
        auth.audit({
          actor: actorOf(session),
          action: 'settings.save',
          subject: null,
          outcome: 'failed',
          detail: { reason: failure.kind, error: failure.detail },
        });
        const { saved } = savedState(deps, m);
        const state: FormState = {
          // What was typed stays in the form (never a secret) for saving again.
          value: (path) => submitted.get(path),
          passwordSet: (saved ?? deps.running).mqtt.password !== null,
          problems: [],
          notice: html`<p class="error" id="save-failed" role="alert">${writeFailureText(failure, request.locale)}</p>`,
        };
        return send(
          reply,
          failure.status,
          settingsPage(deps, session, request.locale, state, saved),
        );
      }
      if (!(error instanceof ConfigInvalidError)) throw error;
      const problems = error.problems.map((p) => ({ path: p.path, message: p.message }));
      auth.audit({
        actor: actorOf(session),
        action: 'settings.save',
        subject: null,
        outcome: 'refused',
        detail: { keys: problems.map((p) => p.path) },
      });
      const { saved } = savedState(deps, m);
      const state: FormState = {
        // Show what was typed, so it can be corrected; never a secret.
        value: (path) => submitted.get(path),
        passwordSet: (saved ?? deps.running).mqtt.password !== null,
        problems,
        notice: null,
      };
      return send(reply, 400, settingsPage(deps, session, request.locale, state, saved));
    }
    auth.audit({
      actor: actorOf(session),
      action: 'settings.save',
      subject: null,
      outcome: 'done',
      // Key names only: values may be secrets, and the audit log is shown on the page.
      detail: { changed },
    });
    return reply.redirect(`/settings?saved=${changed.length > 0 ? 1 : 0}`, 303);
  });
}
