import t from 'tap';
import { SqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import {
  addUser,
  anonGet,
  cookiesOf,
  csrfOf,
  get,
  logIn,
  makeWeb,
  PASSWORD,
  postForm,
  type Web,
} from './web-fixtures.js';

function audit(web: Web, action: string) {
  return new SqliteAuditLog(web.db).entries({ limit: 500 }).filter((e) => e.action === action);
}

async function setupForm(web: Web) {
  const res = await anonGet(web.app, '/setup');
  return { csrf: csrfOf(res.body), cookie: cookiesOf(res) };
}

t.test('first-run setup: only with the code printed at start, and only once', async (t) => {
  const web = await makeWeb(t, { signIn: false });
  t.equal(web.setupCodes.length, 1, 'a setup code is announced while no admin exists');
  const code = web.setupCodes[0]!;
  t.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  const stored = web.users.setupCodeHash() ?? '';
  t.match(stored, /^scrypt\$/, 'stored hashed');
  t.notMatch(stored, code.replaceAll('-', ''));

  const home = await anonGet(web.app, '/');
  t.equal(home.statusCode, 303);
  t.equal(home.headers.location, '/setup', 'a fresh appliance sends everyone to /setup');
  t.equal((await anonGet(web.app, '/login')).headers.location, '/setup');

  const form = await setupForm(web);
  const fields = { username: 'boss', password: PASSWORD, password2: PASSWORD };
  const wrong = await postForm(
    web.app,
    '/setup',
    { ...fields, csrf: form.csrf, code: 'AAAA-AAAA-AAAA-AAAA' },
    { cookie: form.cookie },
  );
  t.equal(wrong.statusCode, 403, 'a wrong code is refused');
  t.match(wrong.body, 'The setup code is wrong');
  t.notOk(web.users.hasAdmin(), 'no admin was created');
  t.match(audit(web, 'auth.setup'), [
    { outcome: 'refused', subject: 'boss', detail: { reason: 'wrong-code' } },
  ]);

  const weak = await postForm(
    web.app,
    '/setup',
    { ...fields, password: 'short', password2: 'short', csrf: form.csrf, code },
    { cookie: form.cookie },
  );
  t.equal(weak.statusCode, 400);
  t.match(weak.body, 'Password: at least 12 characters.');

  // Lower case and without dashes, as someone may type it from a label.
  const ok = await postForm(
    web.app,
    '/setup',
    { ...fields, csrf: form.csrf, code: code.replaceAll('-', ' ').toLowerCase() },
    { cookie: form.cookie },
  );
  t.equal(ok.statusCode, 303, 'the right code creates the admin');
  t.equal(ok.headers.location, '/');
  const session = cookiesOf(ok);
  t.match(session, /^lk_session=/);
  t.match(String(ok.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
  t.equal((await get(web.app, '/', '127.0.0.1:8080', session)).statusCode, 200, 'signed in');
  t.equal(web.users.byName('boss')?.role, 'admin');
  t.equal(web.users.setupCodeHash(), undefined, 'the code is used up');
  t.match(audit(web, 'auth.setup').at(0), { outcome: 'done', actor: 'web:boss', subject: 'boss' });

  const again = await postForm(
    web.app,
    '/setup',
    { ...fields, username: 'second', csrf: form.csrf, code },
    { cookie: form.cookie },
  );
  t.equal(again.statusCode, 403, 'setup is impossible once an admin exists');
  t.equal(web.users.byName('second'), undefined);
  t.equal((await anonGet(web.app, '/setup')).headers.location, '/login');
});

t.test('login, wrong passwords, lockout per account and per client, all audited', async (t) => {
  const web = await makeWeb(t);
  const form = await anonGet(web.app, '/login');
  const csrf = csrfOf(form.body);
  const cookie = cookiesOf(form);
  const attempt = (username: string, password: string) =>
    postForm(web.app, '/login', { csrf, username, password }, { cookie });

  const wrong = await attempt('admin-test', 'not the password');
  t.equal(wrong.statusCode, 401);
  t.match(wrong.body, 'Wrong user name or password.');
  t.equal((await attempt('nobody', 'whatever')).statusCode, 401, 'unknown user: same answer');
  for (let i = 0; i < 2; i++) await attempt('admin-test', `guess ${i}`);
  const fifth = await attempt('admin-test', 'guess 5');
  t.equal(fifth.statusCode, 429, 'the fifth failure in 15 minutes locks');
  t.ok(Number(fifth.headers['retry-after']) > 0, 'Retry-After says when to come back');
  const locked = await attempt('admin-test', PASSWORD);
  t.equal(locked.statusCode, 429, 'even the right password is refused while locked');
  t.notOk(cookiesOf(locked).includes('lk_session'), 'and no session is given');

  const entries = audit(web, 'auth.login');
  t.ok(
    entries.some((e) => e.outcome === 'refused' && e.detail.reason === 'wrong-password-locked'),
    'the lockout is audited',
  );
  t.ok(entries.some((e) => e.outcome === 'refused' && e.detail.reason === 'locked'));
  t.ok(entries.some((e) => e.subject === 'nobody' && e.detail.reason === 'unknown-user'));
  t.ok(
    entries.every((e) => !JSON.stringify(e).includes('guess')),
    'no password is logged',
  );

  // Another account from the same client is locked too (per-client counter).
  await addUser(web, 'nurse', 'staff');
  t.equal((await attempt('nurse', PASSWORD)).statusCode, 429, 'the client address is locked');

  web.clock.now += 16 * 60_000;
  const later = await attempt('admin-test', PASSWORD);
  t.equal(later.statusCode, 303, 'the lock ends after 15 minutes');
  t.match(audit(web, 'auth.login').at(0), { outcome: 'done', subject: 'admin-test' });
});

t.test('sessions expire when idle, and logout ends them', async (t) => {
  const web = await makeWeb(t);
  await addUser(web, 'nurse', 'staff');
  const { cookie, csrf } = await logIn(web.app, 'nurse');
  t.equal((await get(web.app, '/', undefined, cookie)).statusCode, 200);
  web.clock.now += 31 * 60_000;
  const idle = await get(web.app, '/', undefined, cookie);
  t.equal(idle.statusCode, 303, 'after 30 idle minutes the session is gone');
  t.equal(idle.headers.location, '/login');

  const fresh = await logIn(web.app, 'nurse');
  const out = await postForm(web.app, '/logout', { csrf: fresh.csrf }, { cookie: fresh.cookie });
  t.equal(out.statusCode, 303);
  t.match(String(out.headers['set-cookie']), /lk_session=; .*Max-Age=0/);
  t.equal((await get(web.app, '/', undefined, fresh.cookie)).statusCode, 303, 'logged out');
  t.equal(audit(web, 'auth.logout').length, 1);
  t.not(csrf, fresh.csrf, 'each session has its own CSRF token');
});

t.test('a stepped wall clock neither ends a session nor lengthens it', async (t) => {
  const web = await makeWeb(t);
  await addUser(web, 'nurse', 'staff');
  const { cookie } = await logIn(web.app, 'nurse');
  // NTP sets the clock of a Pi that booted without an RTC: an hour forward, no time passed.
  web.clock.now += 3_600_000;
  web.clock.stepped += 3_600_000;
  t.equal((await get(web.app, '/', undefined, cookie)).statusCode, 200, 'still signed in');
  // Back two hours, then 31 real idle minutes: the idle limit still applies.
  web.clock.now -= 7_200_000;
  web.clock.stepped -= 7_200_000;
  t.equal((await get(web.app, '/', undefined, cookie)).statusCode, 200, 'still signed in');
  web.clock.now += 31 * 60_000;
  const idle = await get(web.app, '/', undefined, cookie);
  t.equal(idle.statusCode, 303, 'a step back does not add an hour of idle time');
});

t.test('every form post needs its CSRF token and a same-site Origin', async (t) => {
  const web = await makeWeb(t);
  await addUser(web, 'nurse', 'staff');
  const { cookie, csrf } = await logIn(web.app, 'nurse');
  const request = web.callbacks.add({
    callId: 'c1',
    number: '+4930111222',
    callerHash: 'h1',
    callerHint: '22',
    topic: null,
    window: null,
    language: 'en',
    createdAtMs: web.clock.now,
    retentionMs: 86_400_000,
  });
  const url = `/callbacks/${request.id}/handled`;
  const cases: [string, Record<string, string>, { origin?: string | null }, RegExp][] = [
    ['no token', {}, {}, /no CSRF token/],
    ['wrong token', { csrf: 'x'.repeat(43) }, {}, /wrong or expired/],
    ['another site', { csrf }, { origin: 'http://evil.example' }, /another site/],
    ['https origin on http', { csrf }, { origin: 'https://127.0.0.1:8080' }, /another site/],
    ['no origin', { csrf }, { origin: null }, /did not say which page/],
    ['Origin null', { csrf }, { origin: 'null' }, /did not say which page/],
  ];
  for (const [label, fields, options, message] of cases) {
    const res = await postForm(web.app, url, fields, { cookie, ...options });
    t.equal(res.statusCode, 403, label);
    t.match(res.body, message, label);
  }
  t.equal(web.callbacks.open(web.clock.now).length, 1, 'nothing was marked handled');
  t.equal(audit(web, 'web.csrf').length, cases.length, 'every refusal is audited');

  const loginNoToken = await postForm(web.app, '/login', { username: 'nurse', password: PASSWORD });
  t.equal(loginNoToken.statusCode, 403, 'the login form needs its token too');

  const ok = await postForm(web.app, url, { csrf }, { cookie });
  t.equal(ok.statusCode, 303, 'the right token from this page works');
  t.equal(web.callbacks.open(web.clock.now).length, 0);
});

t.test('roles: staff cannot reach admin pages; no login, no pages', async (t) => {
  const web = await makeWeb(t);
  await addUser(web, 'nurse', 'staff');
  const staff = await logIn(web.app, 'nurse');
  const staffPages = ['/', '/calls', '/calls.csv', '/callbacks', '/api/status', '/api/calls'];
  const adminPages = ['/audit', '/users'];
  for (const url of [...staffPages, ...adminPages]) {
    const anon = await anonGet(web.app, url);
    t.equal(anon.statusCode, url.startsWith('/api/') ? 401 : 303, `${url} without login`);
    t.equal((await get(web.app, url)).statusCode, 200, `${url} as admin`);
  }
  for (const url of staffPages) {
    t.equal((await get(web.app, url, undefined, staff.cookie)).statusCode, 200, `${url} as staff`);
  }
  for (const url of adminPages) {
    const res = await get(web.app, url, undefined, staff.cookie);
    t.equal(res.statusCode, 403, `${url} as staff`);
  }
  const create = await postForm(
    web.app,
    '/users',
    {
      csrf: staff.csrf,
      username: 'mallory',
      role: 'admin',
      password: PASSWORD,
      password2: PASSWORD,
    },
    { cookie: staff.cookie },
  );
  t.equal(create.statusCode, 403, 'staff cannot create an admin');
  t.equal(web.users.byName('mallory'), undefined);
  t.ok(audit(web, 'web.forbidden').length >= 3, 'forbidden attempts are audited');
  const events = await anonGet(web.app, '/events');
  t.equal(events.statusCode, 401, 'the live stream needs a login');
});

t.test('oversized form bodies get 413 before any work', async (t) => {
  const web = await makeWeb(t);
  const res = await postForm(web.app, '/login', { username: 'x', password: 'p'.repeat(70_000) });
  t.equal(res.statusCode, 413);
  t.equal(audit(web, 'auth.login').length, 1, 'only the fixture login was counted');
});
