import type { FastifyInstance } from 'fastify';
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
