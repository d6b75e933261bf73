import type { FastifyInstance } from 'fastify';
import type { ApplianceStatus } from '../../status/status-sink-port.js';
import type { CallLog } from '../../storage/call-log-port.js';
import type { CallStore } from '../../storage/call-store-port.js';
import type { WebAuth, WebSession } from '../auth/web-auth.js';
import { type CallView, toCallView } from '../call-view.js';
import { html, SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { requireLogin } from '../plugins/request-guards.js';
import { callRow, callTableHead } from './call-row.js';
import { CALL_ROW_MESSAGES, wordFor } from './call-row-messages.js';
import { callsPerHourChart, localDay } from './calls-per-hour-chart.js';
import { DASHBOARD_MESSAGES, type DashboardMessages, fill } from './dashboard-messages.js';
import { layout } from './layout.js';

export interface DashboardDeps {
  store: CallStore;
  status: () => ApplianceStatus;
  calls: CallLog;
}

/** A status value in the reader's words, or as reported when the catalogue lacks it. */
const label = wordFor;

/** "greeting", a prompt id, or "routed: transfer:reception" as the appliance reports it. */
export function stageLabel(m: DashboardMessages, stage: string): string {
  if (stage.startsWith('routed: ')) return `${m.stage.routed}: ${stage.slice(8)}`;
  return label(m.stage, stage);
}

/** "ready", or what the caller will notice when it is not. */
export function speechLabel(m: DashboardMessages, speech: ApplianceStatus['speech']): string {
  if (speech.state === 'ready')
    return fill(m.speech.ready, { kind: label(m.speechKind, speech.kind) });
  return speech.state === 'failed' ? m.speech.failed : m.speech.off;
}

/** Who answers the line now, and why when it is not the appliance. */
export function relayLabel(
  m: DashboardMessages,
  status: Pick<ApplianceStatus, 'relays' | 'frontDeskForced'>,
): string {
  if (status.relays.lineSelect === 'appliance') return m.relay.appliance;
  return status.frontDeskForced ? m.relay.frontDeskForced : m.relay.frontDesk;
}

function chartFor(calls: CallLog, nowMs: number, locale: Locale): SafeHtml {
  const day = localDay(nowMs);
  return callsPerHourChart(
    calls.callsPerLocalHour(day.fromMs, day.toMs),
    new Date(nowMs).getHours(),
    DASHBOARD_MESSAGES[locale].chart,
  );
}

/** The dashboard, rendered complete on the server; live.js only refreshes its parts. */
export function dashboardPage(
  status: ApplianceStatus,
  calls: CallView[],
  chart: SafeHtml,
  session: WebSession | null,
  locale: Locale,
): SafeHtml {
  const m = DASHBOARD_MESSAGES[locale];
  const c = m.cards;
  // live.js has no catalogue: it reads the page's words from this block (JSON, not executed).
  const labels = JSON.stringify({ dashboard: m, row: CALL_ROW_MESSAGES[locale] }).replaceAll(
    '<',
    '\\u003c',
  );
  return layout({
    title: `linekeeper · ${status.device}`,
    session,
    locale,
    active: '/',
    scripts: ['/static/live.js'],
    header: html`<span id="device">${status.device}</span><span id="live" class="live" title="${m.liveUpdates}">●</span>`,
    body: html`<script type="application/json" id="labels">${new SafeHtml(labels)}</script>
<section class="cards" aria-label="${m.statusLabel}">
  <div class="card"><h2>${c.line}</h2><p id="line-state" data-state="${status.line.state}">${label(m.lineState, status.line.state)}</p><small id="line-kind" data-kind="${status.line.kind}">${label(m.kind, status.line.kind)}</small></div>
  <div class="card"><h2>${c.currentCall}</h2><p id="current-call" data-stage="${status.currentCall?.stage ?? ''}">${status.currentCall ? stageLabel(m, status.currentCall.stage) : m.none}</p></div>
  <div class="card"><h2>${c.callsToday}</h2><p id="calls-today">${status.callsToday}</p></div>
  <div class="card"><h2>${c.speech}</h2><p id="speech-state" data-state="${status.speech.state}">${speechLabel(m, status.speech)}</p><small id="speech-detail">${status.speech.detail ?? ''}</small></div>
  <div class="card"><h2>${c.relay}</h2><p id="line-select" data-line-select="${status.relays.lineSelect}">${relayLabel(m, status)}</p></div>
  <div class="card"><h2>${c.mode}</h2><p id="mode" data-mode="${status.mode}">${label(m.mode, status.mode)}</p></div>
</section>
<section aria-labelledby="chart-heading" class="chart-box">
<h2 id="chart-heading">${m.chart.heading}</h2>
${chart}
</section>
<section aria-labelledby="recent-heading">
<h2 id="recent-heading">${m.recentCalls}</h2>
<table id="calls">
${callTableHead(locale)}
<tbody>${calls.map((call) => callRow(call, locale))}</tbody>
</table>
<p id="no-calls" ${calls.length > 0 ? html`hidden` : ''}>${m.noCalls}</p>
</section>`,
  });
}

/** `/` and the chart fragment live.js re-fetches when a call ends. */
export function registerDashboardPage(
  app: FastifyInstance,
  auth: WebAuth,
  deps: DashboardDeps,
): void {
  const signedIn = { onRequest: requireLogin(auth) };
  app.get('/', signedIn, async (request, reply) => {
    const calls = (await deps.store.recentCalls({ limit: 20 })).map(toCallView);
    const chart = chartFor(deps.calls, auth.now(), request.locale);
    return reply
      .type('text/html; charset=utf-8')
      .send(dashboardPage(deps.status(), calls, chart, request.webSession, request.locale).value);
  });

  app.get('/api/calls-per-hour.svg', signedIn, async (request, reply) =>
    reply
      .type('image/svg+xml; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(chartFor(deps.calls, auth.now(), request.locale).value),
  );
}
