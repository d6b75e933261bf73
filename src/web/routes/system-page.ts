import type { FastifyInstance } from 'fastify';
import {
  type ProvisioningStatus,
  readProvisioningStatus,
} from '../../provisioning/provisioning-status.js';
import { formatProblem } from '../../shared/errors.js';
import { packageVersion } from '../../shared/package-root.js';
import type { ApplianceStatus } from '../../status/status-sink-port.js';
import type { SqliteDatabase } from '../../storage/sqlite/sqlite-database.js';
import { actorOf, type WebAuth, type WebSession } from '../auth/web-auth.js';
import { html, type SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { requireLogin } from '../plugins/request-guards.js';
import { formatBytes, formatUptime, storageFacts } from '../settings/system-facts.js';
import type { SystemPagesDeps } from '../settings/system-pages-deps.js';
import { layout } from './layout.js';
import { SYSTEM_MESSAGES } from './system-messages.js';

const row = (id: string, label: string, value: SafeHtml | string) =>
  html`<tr id="${id}"><th scope="row">${label}</th><td>${value}</td></tr>`;

function systemPage(
  deps: SystemPagesDeps,
  status: ApplianceStatus,
  db: SqliteDatabase,
  session: WebSession,
  locale: Locale,
): string {
  const m = SYSTEM_MESSAGES[locale];
  const storage = storageFacts(db, deps.dataDir);
  const mqtt = deps.mqtt();
  const speech = status.speech;
  const body = html`<link rel="stylesheet" href="/static/settings.css">
<h2>${m.title}</h2>
<table id="system"><tbody>
${row('sys-version', m.version, packageVersion())}
${row('sys-uptime', m.uptime, formatUptime((Date.now() - deps.startedAtMs) / 1000))}
${row('sys-node', m.node, process.version)}
${row('sys-speech', m.speech, `${speech.kind}: ${m.speechState[speech.state] ?? speech.state}${speech.detail ? ` (${speech.detail})` : ''}`)}
${row('sys-mqtt', m.mqtt, `${m.mqttState[mqtt.state] ?? mqtt.state}${mqtt.detail ? ` (${mqtt.detail})` : ''}`)}
${row('sys-tls', m.tls, deps.tlsFingerprint ? html`<code>${deps.tlsFingerprint}</code>` : m.tlsNone)}
</tbody></table>
<h3>${m.storage}</h3>
<table id="storage"><tbody>
${row('sys-db', m.database, formatBytes(storage.databaseBytes))}
${row(
  'sys-disk',
  m.freeDisk,
  storage.freeBytes === null
    ? m.unknown
    : html`${formatBytes(storage.freeBytes)}${storage.lowDisk ? html` <span class="error">${m.lowDisk}</span>` : ''}`,
)}
${row(
  'sys-integrity',
  m.integrity,
  storage.integrity === 'ok'
    ? m.integrityOk
    : html`<span class="error">${storage.integrity}</span>`,
)}
</tbody></table>
<h3>${m.provisioning}</h3>
${provisioningSection(readProvisioningStatus(deps.dataDir), m)}
<h3 id="restart">${m.restartTitle}</h3>
<p>${m.restartExplain}</p>
${deps.restart.supervised ? '' : html`<p class="error" id="unsupervised">${m.restartUnsupervised}</p>`}
<form method="post" action="/system/restart" id="restart-form">
<input type="hidden" name="csrf" value="${session.csrfToken}">
<button type="submit">${m.restartButton}</button>
</form>`;
  return layout({ title: `linekeeper · ${m.title}`, session, locale, active: '/system', body })
    .value;
}

/**
 * What the last boot-partition provisioning did: a technician who flashed a card and wrote
 * linekeeper.yaml checks here that it took (or why not) without a shell on the box.
 */
function provisioningSection(
  status: ProvisioningStatus | null,
  m: (typeof SYSTEM_MESSAGES)[Locale],
): SafeHtml {
  if (!status) return html`<p id="provisioning">${m.provisioningNone}</p>`;
  if (!status.ok)
    return html`<div id="provisioning" class="error" role="alert">
<p>${m.provisioningFailed(status.file, status.at)}</p>
<ul>${status.errors.map((p) => html`<li><code>${formatProblem(status.file, p)}</code></li>`)}</ul>
<p>${m.provisioningFix}</p>
</div>`;
  return html`<div id="provisioning">
<p>${m.provisioningApplied(status.file, status.at)}</p>
<p>${m.provisioningChanged}: ${status.changed.length ? status.changed.join(', ') : m.provisioningNothingChanged}</p>
${status.warnings.length ? html`<p>${m.provisioningWarnings}:</p><ul>${status.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
</div>`;
}

/** /system (admin): version, uptime, speech, storage, MQTT, certificate, and the restart. */
export function registerSystemPage(
  app: FastifyInstance,
  auth: WebAuth,
  deps: SystemPagesDeps,
  appliance: { status: () => ApplianceStatus; db: SqliteDatabase },
): void {
  const guard = { onRequest: requireLogin(auth, ['admin']) };
  app.get('/system', guard, async (request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        systemPage(deps, appliance.status(), appliance.db, request.webSession!, request.locale),
      ),
  );

  app.post('/system/restart', guard, async (request, reply) => {
    const session = request.webSession!;
    const m = SYSTEM_MESSAGES[request.locale];
    auth.audit({
      actor: actorOf(session),
      action: 'system.restart',
      subject: null,
      outcome: 'done',
      detail: { supervised: deps.restart.supervised },
    });
    // Only once the answer has left: the browser should see the page, not a dropped connection.
    reply.raw.once('finish', () => deps.restart.request());
    const body = html`<h2>${m.restarting}</h2>
<p id="restarting" role="status">${deps.restart.supervised ? m.restartingText : m.restartingUnsupervised}</p>
<p><a href="/system">${m.backToSystem}</a></p>`;
    return reply
      .code(202)
      .type('text/html; charset=utf-8')
      .send(
        layout({
          title: `linekeeper · ${m.restarting}`,
          session,
          locale: request.locale,
          active: '/system',
          body,
        }).value,
      );
  });
}
