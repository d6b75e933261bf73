import t from 'tap';
import { parseWav } from '../../src/audio/wav.js';
import { SqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import type { TestCallView } from '../../src/web/flows/test-call.js';
import { makeFlowsWeb, postJson, SHORT_FLOW, until } from './flows-fixtures.js';
import { addUser, csrfOf, get, logIn } from './web-fixtures.js';

type Web = Awaited<ReturnType<typeof makeFlowsWeb>>;

async function token(web: Web, cookie?: string): Promise<string> {
  return csrfOf((await get(web.app, '/flows', '127.0.0.1:8080', cookie)).body);
}

async function view(web: Web, id: string, cookie?: string): Promise<TestCallView> {
  const res = await get(web.app, `/flows/test-call/${id}`, '127.0.0.1:8080', cookie);
  if (res.statusCode !== 200) throw new Error(`poll: ${res.statusCode} ${res.body}`);
  return res.json() as TestCallView;
}

/** Polls the call as flows.js does until `ok` holds. */
function waitFor(web: Web, id: string, what: string, ok: (v: TestCallView) => boolean) {
  return until(what, async () => {
    const v = await view(web, id);
    return ok(v) ? v : null;
  });
}

const prompts = (v: TestCallView) => v.entries.filter((e) => e.kind === 'prompt');

t.test(
  'a test call runs the draft flow: keypad to a route, nothing reaches the call log',
  async (t) => {
    const web = await makeFlowsWeb(t);
    const csrf = await token(web);
    // A draft, not saved: the hours option moved to key 7 with a new text.
    const draft = SHORT_FLOW.replace('dtmf: "1"', 'dtmf: "7"').replace(
      'We open at eight.',
      'Saturdays too.',
    );
    const start = await postJson(web.app, '/flows/test-call', { csrf, flow: draft });
    t.equal(start.statusCode, 201, start.body);
    const id = (start.json() as TestCallView).id;
    t.match(id, /^[0-9a-f-]{36}$/);

    const asked = await waitFor(web, id, 'the menu prompt', (v) => v.stage === 'main');
    t.equal(asked.state, 'connected');
    t.same(
      prompts(asked).map((p) => p.promptId),
      ['disclosure', 'main'],
      'the caller heard the disclosure, then the menu',
    );
    t.equal(prompts(asked)[0]!.text, 'Hello.');
    const pressed = await postJson(web.app, `/flows/test-call/${id}/press`, { csrf, key: '7' });
    t.equal(pressed.statusCode, 200);
    t.equal((pressed.json() as { accepted: boolean }).accepted, true);

    const ended = await waitFor(web, id, 'the end of the call', (v) => v.state === 'ended');
    t.equal(ended.route, 'info', 'key 7 of the draft led to the info node');
    t.equal(ended.endReason, 'appliance-hangup');
    t.same(
      prompts(ended).map((p) => p.text),
      ['Hello.', 'Press 1 or say hours.', 'Saturdays too.', 'Bye.'],
      'the transcript holds the prompts in order',
    );
    t.equal(prompts(ended)[1]!.outcome, 'interrupted', 'the key cut the menu prompt short');
    t.ok(
      ended.entries.some((e) => e.kind === 'pressed' && e.text === '7'),
      'the key press is in the transcript',
    );
    t.ok(ended.entries.some((e) => e.kind === 'choice' && e.text === 'main: hours (dtmf)'));

    // The prompt's sound, rendered by espeak-ng through the prompt cache.
    const withAudio = prompts(ended).find((p) => p.audio)!;
    t.ok(withAudio, 'prompts carry audio');
    const wav = await get(web.app, `/flows/test-call/${id}/audio/${withAudio.n}`);
    t.equal(wav.statusCode, 200);
    t.equal(wav.headers['content-type'], 'audio/wav');
    const audio = parseWav(wav.rawPayload);
    t.equal(audio.sampleRate, 8000);
    t.ok(audio.channels[0]!.length > 800, 'more than 0.1 s of sound');

    t.equal((await web.store.recentCalls({ limit: 10 })).length, 0, 'no call in the call log');
    const audit = new SqliteAuditLog(web.db)
      .entries({ limit: 50 })
      .filter((e) => e.action === 'flows.test-call');
    t.equal(audit.length, 1);
    t.match(audit[0], { actor: 'web:admin-test', subject: id, detail: { saved: false } });
  },
);

t.test(
  'speech goes through the recogniser: menu words route, others are not understood',
  async (t) => {
    const web = await makeFlowsWeb(t, { audio: false });
    const csrf = await token(web);
    const start = await postJson(web.app, '/flows/test-call', { csrf, flow: SHORT_FLOW });
    const id = (start.json() as TestCallView).id;
    await waitFor(web, id, 'the menu prompt', (v) => v.stage === 'main');
    const pizza = await postJson(web.app, `/flows/test-call/${id}/say`, { csrf, text: 'pizza' });
    t.equal((pizza.json() as { accepted: boolean }).accepted, true);
    await waitFor(web, id, 'the retry prompt', (v) => v.stage === 'main:retry');
    await postJson(web.app, `/flows/test-call/${id}/say`, { csrf, text: 'opening hours please' });
    const ended = await waitFor(web, id, 'the end of the call', (v) => v.state === 'ended');
    t.equal(ended.route, 'info');
    const heard = ended.entries.filter((e) => e.kind === 'heard').map((e) => e.text);
    t.same(heard, ['[unk]', 'opening hours'], 'what the recogniser made of each utterance');
    t.ok(ended.entries.some((e) => e.kind === 'said' && e.text === 'pizza'));
    t.notOk(
      prompts(ended).some((p) => p.audio),
      'no audio without a prompt library',
    );
    t.equal((await get(web.app, `/flows/test-call/${id}/audio/0`)).statusCode, 404);
  },
);

t.test('hang up, invalid drafts, limits and other admins', async (t) => {
  const web = await makeFlowsWeb(t, { audio: false });
  const csrf = await token(web);
  const invalid = await postJson(web.app, '/flows/test-call', {
    csrf,
    flow: SHORT_FLOW.replace('onNoAnswer: bye', 'onNoAnswer: nowhere'),
  });
  t.equal(invalid.statusCode, 400);
  t.match(invalid.json(), {
    error: 'The flow in the editor has problems; check it first.',
    problems: [{ path: 'nodes.desk.onNoAnswer', line: Number }],
  });
  const unknownKey = await postJson(web.app, '/flows/test-call', { csrf, flow: SHORT_FLOW, x: 1 });
  t.equal(unknownKey.statusCode, 400);
  t.match(unknownKey.body, 'unknown field "x"');

  const first = (
    await postJson(web.app, '/flows/test-call', { csrf, flow: SHORT_FLOW })
  ).json() as TestCallView;
  await waitFor(web, first.id, 'connected', (v) => v.state === 'connected');
  const badKey = await postJson(web.app, `/flows/test-call/${first.id}/press`, { csrf, key: '12' });
  t.equal(badKey.statusCode, 400, 'one key at a time');

  // Another admin neither sees nor controls this call.
  await addUser(web, 'second-admin', 'admin');
  const second = await logIn(web.app, 'second-admin');
  const peek = await get(web.app, `/flows/test-call/${first.id}`, '127.0.0.1:8080', second.cookie);
  t.equal(peek.statusCode, 404);
  const hijack = await postJson(
    web.app,
    `/flows/test-call/${first.id}/hangup`,
    { csrf: second.csrf },
    { cookie: second.cookie },
  );
  t.equal(hijack.statusCode, 404);
  t.equal(web.testCalls.running(), 1);

  // Two calls at once at most, across all admins.
  const other = await postJson(
    web.app,
    '/flows/test-call',
    { csrf: second.csrf, flow: SHORT_FLOW },
    { cookie: second.cookie },
  );
  t.equal(other.statusCode, 201);
  await addUser(web, 'third-admin', 'admin');
  const third = await logIn(web.app, 'third-admin');
  const refused = await postJson(
    web.app,
    '/flows/test-call',
    { csrf: third.csrf, flow: SHORT_FLOW },
    { cookie: third.cookie },
  );
  t.equal(refused.statusCode, 429);
  t.match(refused.json(), { error: /Too many test calls/ });

  // A new call by the same admin replaces their running one.
  const replaced = (
    await postJson(web.app, '/flows/test-call', { csrf, flow: SHORT_FLOW })
  ).json() as TestCallView;
  t.not(replaced.id, first.id);
  t.equal((await get(web.app, `/flows/test-call/${first.id}`)).statusCode, 404);
  t.equal(web.testCalls.running(), 2);

  const hung = await postJson(web.app, `/flows/test-call/${replaced.id}/hangup`, { csrf });
  t.equal(hung.statusCode, 200);
  t.match(hung.json(), { state: 'ended', endReason: 'caller-hangup' });
  const late = await postJson(web.app, `/flows/test-call/${replaced.id}/press`, { csrf, key: '1' });
  t.equal((late.json() as { accepted: boolean }).accepted, false, 'an ended call hears nothing');
  t.equal(web.testCalls.running(), 1);
  await web.app.close();
  t.equal(web.testCalls.running(), 0, 'closing the web app hangs every test call up');
});
