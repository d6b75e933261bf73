import type { Flow, HoursNode } from '../../ivr/flow-schema.js';
import { html, type SafeHtml } from '../html.js';
import type { SETTINGS_MESSAGES } from './settings-messages.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * Business hours live in the flow's `hours` nodes, not in the config: the flow decides what
 * "closed" means for a caller. They are shown here and edited in the flow editor, which
 * validates and saves the flow as a whole (two writers of one flow file would race).
 */
export function hoursSection(flow: Flow, m: (typeof SETTINGS_MESSAGES)['en']): SafeHtml {
  const nodes = Object.entries(flow.nodes).filter(
    (entry): entry is [string, HoursNode] => entry[1].type === 'hours',
  );
  return html`<section id="hours"><h3>${m.groups.hours}</h3>
${
  nodes.length === 0
    ? html`<p>${m.hoursNone}</p>`
    : html`<p>${m.hoursIntro}</p>${nodes.map(
        ([id, node]) => html`<h4>${m.hoursNode(id, node.timezone)}</h4>
<table class="hours" data-node="${id}"><tbody>${DAYS.map(
          (day) =>
            html`<tr><th scope="row">${m.days[day]}</th><td>${node.weekly[day]?.length ? node.weekly[day]!.join(', ') : m.closed}</td></tr>`,
        )}</tbody></table>
${node.holidays?.length ? html`<p>${m.holidays(node.holidays.length)}</p>` : ''}`,
      )}`
}
<p><a href="/flows" id="edit-hours">${m.hoursEdit}</a></p>
</section>`;
}
