// Keeps the dashboard current without reloads: the server pushes "something changed" over
// server-sent events and this script fetches the new figures. Values are written with
// textContent only, so nothing from a call can become markup.

const $ = (id) => document.getElementById(id);

// Same format as src/web/local-time.ts, so a pushed row reads like a server-rendered one.
function localTimestamp(date) {
  const two = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
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
    tr.append(
      timeCell,
      cell(call.caller),
      cell(call.topic ? `${call.route} (${call.topic})` : call.route, 'route'),
      cell(call.choices.join(', ')),
      cell(`${call.durationSeconds.toFixed(1)} s`),
      cell(call.endReason),
    );
    return tr;
  });
  body.replaceChildren(...rows);
  $('no-calls').hidden = calls.length > 0;
}

function renderStatus(status) {
  $('line-state').textContent = status.line.state;
  $('line-state').dataset.state = status.line.state;
  $('line-kind').textContent = status.line.kind;
  $('current-call').textContent = status.currentCall ? status.currentCall.stage : 'none';
  $('calls-today').textContent = String(status.callsToday);
  $('speech-state').textContent =
    status.speech.state === 'ready'
      ? `${status.speech.kind} ready`
      : status.speech.state === 'failed'
        ? 'unavailable: keys only'
        : 'off: keys only';
  $('speech-state').dataset.state = status.speech.state;
  $('speech-detail').textContent = status.speech.detail ?? '';
  $('line-select').textContent =
    status.relays.lineSelect === 'appliance'
      ? 'appliance answers'
      : status.frontDeskForced
        ? 'front desk (forced)'
        : 'front desk';
  $('mode').textContent = status.mode;
}

let source = null;

/** The session ended (logged out in another tab, expired): stop listening, go to the login. */
class SignedOut extends Error {}

async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (response.status === 401) throw new SignedOut(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function refresh() {
  try {
    const [calls, status] = await Promise.all([
      getJson('/api/calls?limit=20'),
      getJson('/api/status'),
    ]);
    renderCalls(calls.calls);
    renderStatus(status);
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
