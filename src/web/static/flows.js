// The /flows page's progressive parts. Without this script the editor, the checks and the
// diagram work as plain forms; with it, a problem's line can be jumped to and the test call
// runs: it starts a call on the appliance's simulated test line with the editor's text, sends
// keys and words, and polls the call's transcript as JSON. Everything from the server is
// written with textContent, so nothing in a flow can become markup. Every POST carries the
// session's CSRF token in its JSON body (the request guard reads the `csrf` field).

(() => {
  const $ = (id) => document.getElementById(id);
  const editor = $('flow-text');
  const POLL_MS = 400;

  // --- problems: a click puts the caret on the offending line ---------------------------------
  for (const item of document.querySelectorAll('li[data-line]')) {
    const where = item.querySelector('.where');
    if (!where || !editor) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'linkish';
    button.textContent = where.textContent;
    where.replaceWith(button);
    button.addEventListener('click', () => {
      const line = Number(item.dataset.line);
      const column = Number(item.dataset.column || '1');
      const lines = editor.value.split('\n');
      let offset = 0;
      for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
      offset += Math.max(0, column - 1);
      editor.focus();
      editor.setSelectionRange(offset, offset);
      // Scroll the textarea so the line is in view: an estimate from the line height.
      const lineHeight = Number.parseFloat(getComputedStyle(editor).lineHeight) || 18;
      editor.scrollTop = Math.max(0, (line - 5) * lineHeight);
    });
  }

  // --- the test call ---------------------------------------------------------------------------
  const section = $('test-call');
  if (!section || !editor) return;
  const m = JSON.parse(section.dataset.messages);
  const speechOn = section.dataset.speech === 'on';
  const csrf = document.querySelector('#flow-form input[name=csrf]').value;
  const startButton = $('test-call-start');
  const hangupButton = $('test-call-hangup');
  const keys = [...section.querySelectorAll('.keypad button[data-key]')];
  const speechForm = $('test-call-speech');
  const speechInput = $('tc-speech');
  const errorBox = $('test-call-error');
  const transcript = $('transcript');
  const audioBox = $('test-call-audio');
  $('test-call-ui').hidden = false;

  let call = null;
  let view = null;
  let timer = null;
  let failures = 0;
  const audio = { seen: new Set(), queue: [], current: null, currentN: -1 };

  async function request(method, url, body) {
    const init = { method, headers: { accept: 'application/json' }, credentials: 'same-origin' };
    if (body) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify({ csrf, ...body });
    }
    const res = await fetch(url, init);
    const type = res.headers.get('content-type') || '';
    // A redirect to the login page (the session ended) or a plain-text refusal.
    if (!type.includes('application/json') || res.redirected) {
      const text = await res.text();
      throw new Error(
        res.redirected ? m.gone : `${m.failed} (${res.status}): ${text.slice(0, 300)}`,
      );
    }
    const data = await res.json();
    if (!res.ok) {
      const problems = (data.problems || []).map(
        (p) => `${p.line ? `${p.line}:${p.column || 1} ` : ''}${p.path}: ${p.message}`,
      );
      throw new Error([data.error || m.failed, ...problems].join('\n'));
    }
    return data;
  }

  function showError(error) {
    errorBox.textContent = error ? String(error.message || error) : '';
    errorBox.hidden = !error;
  }

  function render() {
    const state = view ? view.state : 'idle';
    $('tc-state').textContent = m.states[state] || state;
    $('tc-stage').textContent = view?.stage || '–';
    $('tc-route').textContent = view?.route
      ? `${view.route}${view.endReason ? ` (${view.endReason})` : ''}`
      : '–';
    section.dataset.state = state;
    const live = view && state !== 'ended';
    startButton.disabled = Boolean(live);
    hangupButton.disabled = !live;
    const connected = state === 'connected';
    for (const key of keys) key.disabled = !connected;
    if (speechForm) {
      speechInput.disabled = !connected || !speechOn;
      speechForm.querySelector('button').disabled = !connected || !speechOn;
    }
    const items = (view?.entries || []).map((entry) => {
      const li = document.createElement('li');
      li.className = `entry ${entry.kind}${entry.outcome === 'playing' ? ' playing' : ''}`;
      li.dataset.kind = entry.kind;
      if (entry.promptId) li.dataset.prompt = entry.promptId;
      const kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = m.kinds[entry.kind] || entry.kind;
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = entry.text;
      li.append(kind, ' ', text);
      if (entry.outcome === 'interrupted') li.append(` ${m.interrupted}`);
      return li;
    });
    transcript.replaceChildren(...items);
    queueAudio();
  }

  // --- prompt sound: played in order; a prompt the caller cut short stops ------------------------
  function queueAudio() {
    const prompts = (view?.entries || []).filter((e) => e.kind === 'prompt');
    const newest = prompts.at(-1);
    for (const entry of prompts) {
      if (audio.seen.has(entry.n)) {
        if (entry.outcome === 'interrupted') stopAudio(entry.n);
        continue;
      }
      audio.seen.add(entry.n);
      const fresh = entry.outcome === 'playing' || entry === newest;
      if (audioBox.checked && entry.audio && fresh && entry.outcome !== 'interrupted') {
        audio.queue.push(entry.n);
      }
    }
    playNext();
  }

  function stopAudio(n) {
    audio.queue = audio.queue.filter((q) => q !== n);
    if (audio.currentN === n && audio.current) {
      audio.current.pause();
      audio.current = null;
      audio.currentN = -1;
      playNext();
    }
  }

  function playNext() {
    if (audio.current || audio.queue.length === 0 || !call) return;
    const n = audio.queue.shift();
    const player = new Audio(`/flows/test-call/${call}/audio/${n}`);
    audio.current = player;
    audio.currentN = n;
    const next = () => {
      if (audio.current !== player) return;
      audio.current = null;
      audio.currentN = -1;
      playNext();
    };
    player.addEventListener('ended', next);
    player.addEventListener('error', next);
    // The browser may refuse to play without a click on the page: the transcript still shows it.
    player.play().catch(next);
  }

  function resetAudio() {
    if (audio.current) audio.current.pause();
    audio.seen.clear();
    audio.queue = [];
    audio.current = null;
    audio.currentN = -1;
  }

  audioBox.addEventListener('change', () => {
    if (!audioBox.checked) {
      audio.queue = [];
      if (audio.current) audio.current.pause();
      audio.current = null;
    }
  });

  // --- polling ---------------------------------------------------------------------------------
  function schedule() {
    clearTimeout(timer);
    if (call && view && view.state !== 'ended') timer = setTimeout(poll, POLL_MS);
  }

  async function poll() {
    if (!call) return;
    const id = call;
    try {
      const next = await request('GET', `/flows/test-call/${id}`);
      if (call !== id) return;
      view = next;
      failures = 0;
      render();
    } catch (error) {
      failures += 1;
      // A loaded appliance may drop one answer; three in a row mean the call is gone.
      if (failures >= 3) {
        showError(error);
        view = view ? { ...view, state: 'ended' } : null;
        render();
        return;
      }
    }
    schedule();
  }

  startButton.addEventListener('click', async () => {
    showError(null);
    startButton.disabled = true;
    resetAudio();
    try {
      view = await request('POST', '/flows/test-call', { flow: editor.value });
      call = view.id;
      failures = 0;
      render();
      schedule();
    } catch (error) {
      showError(error);
      view = null;
      call = null;
      render();
    }
  });

  hangupButton.addEventListener('click', async () => {
    if (!call) return;
    try {
      view = await request('POST', `/flows/test-call/${call}/hangup`, {});
      render();
    } catch (error) {
      showError(error);
    }
  });

  async function send(path, body) {
    if (!call) return;
    try {
      const answer = await request('POST', `/flows/test-call/${call}/${path}`, body);
      view = answer;
      render();
    } catch (error) {
      showError(error);
    }
  }

  for (const key of keys) {
    key.addEventListener('click', () => send('press', { key: key.dataset.key }));
  }
  if (speechForm) {
    speechForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = speechInput.value.trim();
      if (!text) return;
      speechInput.value = '';
      send('say', { text });
    });
  }
  render();
})();
