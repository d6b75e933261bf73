import type { FastifyInstance } from 'fastify';
import type { CallLog, CallLogFilter } from '../../storage/call-log-port.js';
import { actorOf, type WebAuth } from '../auth/web-auth.js';
import { type CallView, toCallView } from '../call-view.js';
import { html } from '../html.js';
import { localTimestamp } from '../local-time.js';
import { requireLogin } from '../plugins/request-guards.js';
import { validationErrorFormatter } from '../validation-errors.js';
import { callRow, callTableHead } from './call-row.js';
import { CALLS_MESSAGES } from './calls-messages.js';
import { layout } from './layout.js';

const PAGE_SIZE = 50;
/** A CSV is for a month's report, not a backup: bounded so one click cannot exhaust memory. */
const CSV_MAX_ROWS = 10_000;

const CALL_LOG_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    route: { type: 'string', maxLength: 64 },
    from: { type: 'string', pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' },
    to: { type: 'string', pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' },
    page: { type: 'integer', minimum: 1, maximum: 100_000 },
  },
} as const;

interface CallLogQuery {
  route?: string;
  from?: string;
  to?: string;
  page?: number;
}

/** Midnight at the start of a local calendar day ("2026-01-15"), in epoch ms. */
function localDayStart(day: string, plusDays = 0): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).getTime();
}

function toFilter(query: CallLogQuery): CallLogFilter {
  return {
    ...(query.route?.trim() ? { route: query.route.trim() } : {}),
    ...(query.from ? { fromMs: localDayStart(query.from) } : {}),
    // "to" is inclusive: the whole of that day.
    ...(query.to ? { toMs: localDayStart(query.to, 1) } : {}),
  };
}

function queryString(query: CallLogQuery, page?: number): string {
  const params = new URLSearchParams();
  if (query.route) params.set('route', query.route);
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (page) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A spreadsheet must not run a cell as a formula (CSV injection), and quotes must nest. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvLine(call: CallView): string {
  return [
    localTimestamp(new Date(call.startedAt)),
    call.caller,
    call.route,
    call.topic ?? '',
    call.choices.join('; '),
    call.durationSeconds.toFixed(1),
    call.endReason,
  ]
    .map(csvCell)
    .join(',');
}

export function registerCallsPage(app: FastifyInstance, auth: WebAuth, calls: CallLog): void {
  const routeOptions = {
    schema: { querystring: CALL_LOG_QUERY },
    schemaErrorFormatter: validationErrorFormatter(Object.keys(CALL_LOG_QUERY.properties)),
    onRequest: requireLogin(auth),
  };

  app.get<{ Querystring: CallLogQuery }>('/calls', routeOptions, async (request, reply) => {
    const filter = toFilter(request.query);
    const total = calls.count(filter);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(request.query.page ?? 1, pages);
    const rows = calls
      .search(filter, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
      .map(toCallView);
    const q = request.query;
    const locale = request.locale;
    const m = CALLS_MESSAGES[locale];
    const body = html`<h2>${m.heading}</h2>
<form method="get" action="/calls" class="filter">
<label>${m.route} <input name="route" list="routes" value="${q.route ?? ''}" maxlength="64"></label>
<datalist id="routes">${calls.routes().map((r) => html`<option value="${r}">`)}</datalist>
<label>${m.from} <input type="date" name="from" value="${q.from ?? ''}"></label>
<label>${m.to} <input type="date" name="to" value="${q.to ?? ''}"></label>
<button type="submit">${m.filter}</button>
<a id="csv" href="/calls.csv${queryString(q)}">${m.csv}</a>
</form>
<p id="call-count">${m.count(total, page, pages)}</p>
<table id="calls">
${callTableHead(locale)}
<tbody>${rows.map((call) => callRow(call, locale))}</tbody>
</table>
<nav class="pager" aria-label="${m.pager}">${page > 1 ? html`<a rel="prev" href="/calls${queryString(q, page - 1)}">${m.newer}</a>` : ''} ${
      page < pages
        ? html`<a rel="next" href="/calls${queryString(q, page + 1)}">${m.older}</a>`
        : ''
    }</nav>`;
    return reply.type('text/html; charset=utf-8').send(
      layout({
        title: m.title,
        session: request.webSession,
        locale,
        active: '/calls',
        body,
      }).value,
    );
  });

  app.get<{ Querystring: CallLogQuery }>('/calls.csv', routeOptions, async (request, reply) => {
    const filter = toFilter(request.query);
    const rows = calls.search(filter, { limit: CSV_MAX_ROWS, offset: 0 }).map(toCallView);
    auth.audit({
      actor: actorOf(request.webSession),
      action: 'calls.export',
      subject: null,
      outcome: 'done',
      detail: { filter: request.query, rows: rows.length, client: request.ip },
    });
    // English column names and raw values whatever the page language: a spreadsheet formula
    // or a script written against one export keeps working with the next.
    const header = 'time,caller,route,topic,choices,duration_s,end_reason';
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="linekeeper-calls.csv"')
      .send(`${[header, ...rows.map(csvLine)].join('\r\n')}\r\n`);
  });
}
