import type { ApplianceStatus } from '../../status/status-sink-port.js';
import type { WebSession } from '../auth/web-auth.js';
import type { CallView } from '../call-view.js';
import { html, type SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { localTimestamp } from '../local-time.js';
import { layout } from './layout.js';

/** The dashboard, rendered complete on the server; live.js only refreshes its parts. */
export function dashboardPage(
  status: ApplianceStatus,
  calls: CallView[],
  session: WebSession | null,
  locale: Locale,
): SafeHtml {
  return layout({
    title: `linekeeper · ${status.device}`,
    session,
    locale,
    active: '/',
    scripts: ['/static/live.js'],
    header: html`<span id="device">${status.device}</span><span id="live" class="live" title="live updates">●</span>`,
    body: html`<section class="cards" aria-label="status">
  <div class="card"><h2>Line</h2><p id="line-state" data-state="${status.line.state}">${status.line.state}</p><small id="line-kind">${status.line.kind}</small></div>
  <div class="card"><h2>Current call</h2><p id="current-call">${status.currentCall ? status.currentCall.stage : 'none'}</p></div>
  <div class="card"><h2>Calls today</h2><p id="calls-today">${status.callsToday}</p></div>
  <div class="card"><h2>Speech</h2><p id="speech-state" data-state="${status.speech.state}">${speechLabel(status.speech)}</p><small id="speech-detail">${status.speech.detail ?? ''}</small></div>
  <div class="card"><h2>Line relay</h2><p id="line-select">${relayLabel(status)}</p></div>
  <div class="card"><h2>Mode</h2><p id="mode">${status.mode}</p></div>
</section>
<section aria-label="recent calls">
<h2>Recent calls</h2>
<table id="calls">
<thead><tr><th>Time</th><th>Caller</th><th>Route</th><th>Choices</th><th>Duration</th><th>Ended</th></tr></thead>
<tbody>${calls.map(callRow)}</tbody>
</table>
<p id="no-calls" ${calls.length > 0 ? html`hidden` : ''}>No calls yet.</p>
</section>`,
  });
}

export function callRow(call: CallView): SafeHtml {
  return html`<tr data-call-id="${call.id}"><td><time datetime="${call.startedAt}">${localTimestamp(new Date(call.startedAt))}</time></td><td>${call.caller}</td><td class="route">${call.route}${call.topic ? ` (${call.topic})` : ''}</td><td>${call.choices.join(', ')}</td><td>${call.durationSeconds.toFixed(1)} s</td><td>${call.endReason}</td></tr>`;
}

/** "ready", or what the caller will notice when it is not. */
export function speechLabel(speech: ApplianceStatus['speech']): string {
  if (speech.state === 'ready') return `${speech.kind} ready`;
  if (speech.state === 'failed') return 'unavailable: keys only';
  return 'off: keys only';
}

/** Who answers the line now, and why when it is not the appliance. */
export function relayLabel(status: Pick<ApplianceStatus, 'relays' | 'frontDeskForced'>): string {
  if (status.relays.lineSelect === 'appliance') return 'appliance answers';
  return status.frontDeskForced ? 'front desk (forced)' : 'front desk';
}
