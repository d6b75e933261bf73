// Keeps the dashboard current without reloads: the server pushes "something changed" over
// server-sent events and this script fetches the new figures. Values are written with
// textContent only, so nothing from a call can become markup. The words come from the page
// (<script type="application/json" id="labels">, rendered from the server's catalogues), so
// a pushed row reads in the same language as a server-rendered one.

const $ = (id) => document.getElementById(id);

const LABELS = JSON.parse($('labels')?.textContent || '{}');
const D = LABELS.dashboard;
const R = LABELS.row;
const LANG = document.documentElement.lang || 'en';

/** A value in the reader's words, or as reported when the catalogue does not know it. */
// Own keys only: a route named "constructor" must not become Object's constructor.
const label = (table, value) => (table && Object.hasOwn(table, value) ? table[value] : value);
const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

// Same format as src/web/local-time.ts, so a pushed row reads like a server-rendered one.
function localTimestamp(date) {
  const two = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

// The rules of src/web/routes/call-row-messages.ts and call-row.ts.
function routeLabel(route, topic) {
  const colon = route.indexOf(':');
  const kind = colon < 0 ? route : route.slice(0, colon);
  const target = colon < 0 ? '' : route.slice(colon + 1);
  const name = label(R.route, kind);
  const text = target ? `${name}: ${target}` : name;
  return topic ? `${text} (${topic})` : text;
}

function callerLabel(caller) {
  if (caller === 'withheld') return R.caller.withheld;
  if (caller === 'unknown') return R.caller.unknown;
  return caller;
}

function durationLabel(seconds) {
  const number = seconds.toLocaleString(LANG, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  return `${number} s`;
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function renderCalls(calls) {
  const body = $('calls').tBodies[0];
  const rows = calls.map((call) => {
    const tr = document.createElement('tr');
    tr.dataset.callId = call.id;
    const time = document.createElement('time');
    time.dateTime = call.startedAt;
    time.textContent = localTimestamp(new Date(call.startedAt));
    const timeCell = document.createElement('td');
    timeCell.append(time);
    const route = cell(routeLabel(call.route, call.topic), 'route');
    route.dataset.route = call.route;
    const ended = cell(label(R.endReason, call.endReason), 'ended');
    ended.dataset.endReason = call.endReason;
    tr.append(
      timeCell,
      cell(callerLabel(call.caller)),
      route,
      cell(call.choices.join(', ')),
      cell(durationLabel(call.durationSeconds)),
      ended,
    );
    return tr;
  });
  body.replaceChildren(...rows);
  $('no-calls').hidden = calls.length > 0;
}

function stageLabel(stage) {
  if (stage.startsWith('routed: ')) return `${D.stage.routed}: ${stage.slice(8)}`;
  return label(D.stage, stage);
}

function renderStatus(status) {
  $('line-state').textContent = label(D.lineState, status.line.state);
  $('line-state').dataset.state = status.line.state;
  $('line-kind').textContent = label(D.kind, status.line.kind);
  $('line-kind').dataset.kind = status.line.kind;
  $('current-call').textContent = status.currentCall
    ? stageLabel(status.currentCall.stage)
    : D.none;
  $('current-call').dataset.stage = status.currentCall?.stage ?? '';
  $('calls-today').textContent = String(status.callsToday);
  $('speech-state').textContent =
    status.speech.state === 'ready'
      ? fill(D.speech.ready, { kind: label(D.speechKind, status.speech.kind) })
      : status.speech.state === 'failed'
        ? D.speech.failed
        : D.speech.off;
  $('speech-state').dataset.state = status.speech.state;
  $('speech-detail').textContent = status.speech.detail ?? '';
  $('line-select').textContent =
    status.relays.lineSelect === 'appliance'
      ? D.relay.appliance
      : status.frontDeskForced
        ? D.relay.frontDeskForced
        : D.relay.frontDesk;
  $('line-select').dataset.lineSelect = status.relays.lineSelect;
  $('mode').textContent = label(D.mode, status.mode);
  $('mode').dataset.mode = status.mode;
}

/**
 * The chart is drawn on the server (one renderer for page and refresh); the fresh SVG is
 * parsed as XML, never as HTML, and swapped in whole.
 */
function renderChart(svgText) {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const fresh = doc.documentElement;
  if (fresh.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length > 0) return;
  $('calls-chart')?.replaceWith(document.importNode(fresh, true));
}

let source = null;

/** The session ended (logged out in another tab, expired): stop listening, go to the login. */
class SignedOut extends Error {}

async function get(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (response.status === 401) throw new SignedOut(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

async function refresh() {
  try {
    const [calls, status, chart] = await Promise.all([
      get('/api/calls?limit=20').then((r) => r.json()),
      get('/api/status').then((r) => r.json()),
      get('/api/calls-per-hour.svg').then((r) => r.text()),
    ]);
    renderCalls(calls.calls);
    renderStatus(status);
    renderChart(chart);
  } catch (error) {
    if (!(error instanceof SignedOut)) throw error;
    source?.close();
    $('live').classList.remove('on');
    window.location.assign('/login');
  }
}

function connect() {
  source = new EventSource('/events');
  source.addEventListener('open', () => {
    $('live').classList.add('on');
    refresh().catch(() => {});
  });
  source.addEventListener('error', () => $('live').classList.remove('on'));
  for (const name of ['calls-changed', 'status']) {
    source.addEventListener(name, () => refresh().catch(() => {}));
  }
}

document.addEventListener('DOMContentLoaded', connect);
