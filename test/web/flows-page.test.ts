import { existsSync, readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import type { Flow } from '../../src/ivr/flow-schema.js';
import { SqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import { flowHash } from '../../src/web/flows/flow-file-store.js';
import { MAX_FLOW_BYTES } from '../../src/web/flows/flow-text-check.js';
import { FLOW_BODY_LIMIT } from '../../src/web/routes/flows-page.js';
import { makeFlowsWeb, SHORT_FLOW } from './flows-fixtures.js';
import {
  addUser,
  anonGet,
  csrfOf,
  get,
  logIn,
  postForm,
  securityHeaderProblems,
  sessionCookie,
} from './web-fixtures.js';

/** The short flow with the hours option on key 7 and a new info text. */
const EDITED = SHORT_FLOW.replace('dtmf: "1"', 'dtmf: "7"').replace(
  'We open at eight.',
  'We open at nine on Saturdays.',
);
/** A route to a node that does not exist. */
const DANGLING = SHORT_FLOW.replace('next: hours-info', 'next: nowhere');
/** Where the checker must point: the `next` key of that route, 1-based. */
const DANGLING_LINE = DANGLING.split('\n').findIndex((l) => l.includes('next: nowhere')) + 1;
const DANGLING_COLUMN = DANGLING.split('\n')[DANGLING_LINE - 1]!.indexOf('next') + 1;

/** The key of the hours option in the main menu of a flow the "appliance" runs. */
function hoursKey(flow: Flow): string | undefined {
  const main = flow.nodes.main;
  return main?.type === 'menu' ? main.options.hours?.dtmf : undefined;
}

function auditOf(web: { db: ConstructorParameters<typeof SqliteAuditLog>[0] }, action: string) {
  return new SqliteAuditLog(web.db).entries({ limit: 100 }).filter((e) => e.action === action);
}

async function csrf(app: Parameters<typeof get>[0]) {
  return csrfOf((await get(app, '/flows')).body);
}

t.test('GET /flows shows the flow in effect, its source and its menu tree', async (t) => {
  const web = await makeFlowsWeb(t, { audio: false });
  const page = await get(web.app, '/flows');
  t.equal(page.statusCode, 200);
  t.same(securityHeaderProblems(page.headers), []);
  t.match(page.body, 'id="flow-in-effect" data-source="configured"');
  t.match(page.body, `call.flow = ${web.configuredFile}`);
  t.match(page.body, 'Press 1 or say hours.', 'the editor holds the flow text');
  t.match(page.body, '<svg id="flow-diagram"');
  for (const id of ['main', 'hours-info', 'desk', 'bye'])
    t.match(page.body, `data-node="${id}"`, `node ${id} is drawn`);
  t.match(page.body, '>1 · hours</text>', 'the menu edge names its key and phrase');
  t.match(page.body, 'data-from="desk" data-to="bye"', 'the transfer fallback is drawn');
  t.match(page.body, '<script src="/static/flows.js" defer>');
  t.notMatch(page.body, 'id="flow-revert"', 'nothing to revert yet');

  const german = await web.app.inject({
    method: 'GET',
    url: '/flows',
    headers: { host: '127.0.0.1:8080', cookie: `${sessionCookie(web.app)}; lang=de` },
  });
  t.match(german.body, 'Anrufablauf');
  t.match(german.body, 'Testanruf starten');
  const script = await anonGet(web.app, '/static/flows.js');
  t.equal(script.statusCode, 200);
  t.match(script.headers['content-type'], /javascript/);
  t.equal((await anonGet(web.app, '/static/flows.css')).statusCode, 200);
});

t.test('only admins reach /flows; staff and strangers are refused and audited', async (t) => {
  const web = await makeFlowsWeb(t, { audio: false });
  const anon = await anonGet(web.app, '/flows');
  t.equal(anon.statusCode, 303);
  t.equal(anon.headers.location, '/login');

  await addUser(web, 'desk-staff', 'staff');
  const staff = await logIn(web.app, 'desk-staff');
  const page = await get(web.app, '/flows', '127.0.0.1:8080', staff.cookie);
  t.equal(page.statusCode, 403);
  const nav = await get(web.app, '/', '127.0.0.1:8080', staff.cookie);
  t.notMatch(nav.body, 'href="/flows"', 'staff do not see the Flows menu entry');
  const save = await postForm(
    web.app,
    '/flows',
    { csrf: staff.csrf, flow: EDITED },
    { cookie: staff.cookie },
  );
  t.equal(save.statusCode, 403);
  const start = await web.app.inject({
    method: 'POST',
    url: '/flows/test-call',
    headers: {
      host: '127.0.0.1:8080',
      origin: 'http://127.0.0.1:8080',
      'content-type': 'application/json',
      cookie: staff.cookie,
    },
    payload: JSON.stringify({ csrf: staff.csrf, flow: SHORT_FLOW }),
  });
  t.equal(start.statusCode, 403, 'staff cannot place test calls');
  t.notOk(existsSync(web.flowStore.paths.active), 'nothing was saved');
  t.equal(web.testCalls.running(), 0, 'no test call was started');
  const refused = auditOf(web, 'web.forbidden').filter((e) => e.actor === 'web:desk-staff');
  t.ok(refused.length >= 3, 'each refusal is in the audit log');
});

t.test('an invalid flow is refused with line and column; nothing is written', async (t) => {
  const web = await makeFlowsWeb(t, { audio: false });
  const res = await postForm(
    web.app,
    '/flows',
    { csrf: await csrf(web.app), flow: DANGLING },
    {
      cookie: sessionCookie(web.app),
    },
  );
  t.equal(res.statusCode, 400);
  t.match(res.body, 'Not saved: the flow has 1 problem.');
  t.match(
    res.body,
    `<li data-line="${DANGLING_LINE}" data-column="${DANGLING_COLUMN}"><span class="where">line ${DANGLING_LINE}, column ${DANGLING_COLUMN}</span> <code>nodes.main.options.hours.next</code>`,
  );
  t.match(res.body, 'routes to &quot;nowhere&quot;, which does not exist');
  t.match(res.body, 'next: nowhere', 'the editor keeps the refused draft');
  t.notOk(existsSync(web.flowStore.paths.dir), 'no flow file was written');
  t.equal(web.running.reloads, 0, 'the appliance was not asked to reload');
  const audit = auditOf(web, 'flows.save');
  t.equal(audit.length, 1);
  t.equal(audit[0]!.outcome, 'refused');
  t.match(audit[0]!.detail, { reason: 'invalid', problems: 1, hash: flowHash(DANGLING) });

  const yaml = await postForm(
    web.app,
    '/flows',
    { csrf: await csrf(web.app), flow: 'version: 1\nname: [unclosed\n' },
    { cookie: sessionCookie(web.app) },
  );
  t.equal(yaml.statusCode, 400);
  t.match(yaml.body, 'YAML syntax');

  const german = await web.app.inject({
    method: 'POST',
    url: '/flows',
    headers: {
      host: '127.0.0.1:8080',
      origin: 'http://127.0.0.1:8080',
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `${sessionCookie(web.app)}; lang=de`,
    },
    payload: new URLSearchParams({ csrf: await csrf(web.app), flow: DANGLING }).toString(),
  });
  t.match(german.body, 'Nicht gespeichert: Der Ablauf hat 1 Problem.');
  t.match(german.body, `Zeile ${DANGLING_LINE}, Spalte ${DANGLING_COLUMN}`);
});

t.test('a save without CSRF token or from another site is refused', async (t) => {
  const web = await makeFlowsWeb(t, { audio: false });
  const cookie = sessionCookie(web.app);
  const none = await postForm(web.app, '/flows', { flow: EDITED }, { cookie });
  t.equal(none.statusCode, 403);
  t.match(none.body, 'no CSRF token');
  const wrong = await postForm(
    web.app,
    '/flows',
    { csrf: 'x'.repeat(43), flow: EDITED },
    { cookie },
  );
  t.equal(wrong.statusCode, 403);
  const foreign = await postForm(
    web.app,
    '/flows',
    { csrf: await csrf(web.app), flow: EDITED },
    { cookie, origin: 'http://evil.example' },
  );
  t.equal(foreign.statusCode, 403);
  const json = await web.app.inject({
    method: 'POST',
    url: '/flows/test-call',
    headers: {
      host: '127.0.0.1:8080',
      origin: 'http://127.0.0.1:8080',
      'content-type': 'application/json',
      cookie,
    },
    payload: JSON.stringify({ flow: SHORT_FLOW }),
  });
  t.equal(json.statusCode, 403, 'a JSON post without its token is refused too');
  t.notOk(existsSync(web.flowStore.paths.active));
  t.equal(web.testCalls.running(), 0);
  t.ok(auditOf(web, 'web.csrf').length >= 4, 'every refusal is audited');
});

t.test('oversized flows are refused with a clear message', async (t) => {
  const web = await makeFlowsWeb(t, { audio: false });
  const cookie = sessionCookie(web.app);
  // Valid YAML, just far too long: a comment block past the flow limit.
  const big = `${SHORT_FLOW}${'# padding padding padding padding padding padding padding\n'.repeat(1000)}`;
  t.ok(Buffer.byteLength(big) > MAX_FLOW_BYTES);
  const res = await postForm(
    web.app,
    '/flows',
    { csrf: await csrf(web.app), flow: big },
    { cookie },
  );
  t.equal(res.statusCode, 413);
  t.match(res.body, /Flow: \d+ KB is too large; a flow may have at most 48 KB/);
  t.notOk(existsSync(web.flowStore.paths.active));
  t.match(auditOf(web, 'flows.save')[0]!.detail, { reason: 'too large' });

  const huge = await postForm(
    web.app,
    '/flows',
    { csrf: await csrf(web.app), flow: 'x'.repeat(FLOW_BODY_LIMIT + 1) },
    { cookie },
  );
  t.equal(huge.statusCode, 413, 'a body past the route limit is not even read');
  t.match(huge.body, /too large/i);
  t.notOk(existsSync(web.flowStore.paths.active));
});

t.test(
  'a valid save is written atomically, keeps the previous version, is audited and loaded',
  async (t) => {
    const web = await makeFlowsWeb(t, { audio: false });
    const cookie = sessionCookie(web.app);
    // A browser sends the textarea with CRLF line breaks.
    const res = await postForm(
      web.app,
      '/flows',
      { csrf: await csrf(web.app), flow: EDITED.replace(/\n/g, '\r\n') },
      { cookie },
    );
    t.equal(res.statusCode, 303);
    t.equal(res.headers.location, '/flows?done=saved');
    t.equal(readFileSync(web.flowStore.paths.active, 'utf8'), EDITED, 'saved with LF line breaks');
    t.equal(
      readFileSync(web.flowStore.paths.previous, 'utf8'),
      SHORT_FLOW,
      'previous version kept',
    );
    t.same(
      readdirSync(web.flowStore.paths.dir).sort(),
      ['active.yaml', 'previous.yaml'],
      'no temp files left behind',
    );
    t.equal(web.running.reloads, 1, 'the appliance reloaded');
    t.equal(hoursKey(web.running.flow), '7', 'and now runs the edited flow');
    const audit = auditOf(web, 'flows.save');
    t.equal(audit.length, 1);
    t.match(audit[0], {
      actor: 'web:admin-test',
      outcome: 'done',
      detail: { oldHash: flowHash(SHORT_FLOW), newHash: flowHash(EDITED), nodes: 4 },
    });

    const page = await get(web.app, '/flows?done=saved');
    t.match(page.body, 'id="flow-notice" class="notice"');
    t.match(page.body, 'Saved. The appliance loaded the new flow');
    t.match(page.body, 'data-source="edited"');
    t.match(page.body, web.flowStore.paths.active);
    t.match(page.body, '>7 · hours</text>', 'the diagram shows the new key');
    t.match(page.body, 'id="flow-revert"');

    const revert = await postForm(
      web.app,
      '/flows/revert',
      { csrf: csrfOf(page.body) },
      { cookie },
    );
    t.equal(revert.statusCode, 303);
    t.equal(revert.headers.location, '/flows?done=reverted');
    t.notOk(existsSync(web.flowStore.paths.active), 'the edited flow is gone');
    t.equal(readFileSync(web.flowStore.paths.previous, 'utf8'), EDITED, 'and kept as previous');
    t.equal(web.running.reloads, 2);
    t.equal(hoursKey(web.running.flow), '1', 'the configured flow runs again');
    t.match(auditOf(web, 'flows.revert')[0], {
      outcome: 'done',
      detail: { oldHash: flowHash(EDITED), newHash: flowHash(SHORT_FLOW) },
    });
    const again = await postForm(
      web.app,
      '/flows/revert',
      { csrf: await csrf(web.app) },
      { cookie },
    );
    t.equal(again.headers.location, '/flows?done=unchanged', 'nothing left to revert');
  },
);

t.test('Check shows a valid draft as a diagram without saving it', async (t) => {
  const web = await makeFlowsWeb(t, { audio: false });
  const hostile = EDITED.replace('name: Test line', 'name: "<script>alert(1)</script>"');
  const res = await postForm(
    web.app,
    '/flows/check',
    { csrf: await csrf(web.app), flow: hostile },
    { cookie: sessionCookie(web.app) },
  );
  t.equal(res.statusCode, 200);
  t.match(res.body, 'No problems found.');
  t.match(res.body, 'Menu tree of the draft');
  t.match(res.body, '>7 · hours</text>');
  t.notMatch(res.body, '<script>alert', 'flow text is escaped everywhere');
  t.match(res.body, '&lt;script&gt;alert(1)&lt;/script&gt;');
  t.notOk(existsSync(web.flowStore.paths.dir), 'nothing saved');
  t.equal(web.running.reloads, 0);
});
