import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { SqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import { base32Decode, base32Encode, totpCode, totpStep } from '../../src/web/auth/totp.js';
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

/** The key the account page shows while enrolment waits for its code. */
function secretOn(page: string): Buffer {
  const match = /id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(page);
  if (!match) throw new Error(`no TOTP key on the page:\n${page.slice(0, 800)}`);
  return base32Decode(match[1]!);
}

const codeNow = (web: Web, secret: Buffer, stepsAhead = 0) =>
  totpCode(secret, totpStep(web.clock.now) + stepsAhead);

/** Enrols `user` (signed in with `session`) through /account; returns the secret. */
async function enrol(web: Web, session: { cookie: string; csrf: string }): Promise<Buffer> {
  const start = await postForm(
    web.app,
    '/account/totp/start',
    { csrf: session.csrf },
    { cookie: session.cookie },
  );
  if (start.statusCode !== 303) throw new Error(`enrolment start: ${start.statusCode}`);
  const page = await get(web.app, '/account', undefined, session.cookie);
  const secret = secretOn(page.body);
  const confirm = await postForm(
    web.app,
    '/account/totp/confirm',
    { csrf: session.csrf, code: codeNow(web, secret) },
    { cookie: session.cookie },
  );
  if (confirm.statusCode !== 303) throw new Error(`enrolment confirm: ${confirm.statusCode}`);
  return secret;
}

/** The password step; returns the pending-login cookie and the code form's token. */
async function passwordStep(app: FastifyInstance, username: string) {
  const form = await anonGet(app, '/login');
  const formCookie = cookiesOf(form);
  const res = await postForm(
    app,
    '/login',
    { csrf: csrfOf(form.body), username, password: PASSWORD },
    { cookie: formCookie },
  );
  const cookie = [formCookie, cookiesOf(res)].filter(Boolean).join('; ');
  return { res, cookie, csrf: csrfOf(form.body) };
}

function sendCode(app: FastifyInstance, step: { cookie: string; csrf: string }, code: string) {
  return postForm(app, '/login/code', { csrf: step.csrf, code }, { cookie: step.cookie });
}

t.test('enrolment: QR and key shown until a code confirms, never after', async (t) => {
  const web = await makeWeb(t);
  await addUser(web, 'nurse', 'staff');
  const session = await logIn(web.app, 'nurse');
  const before = await get(web.app, '/account', undefined, session.cookie);
  t.equal(before.statusCode, 200, 'staff have an account page too');
  t.match(before.body, 'data-state="off"');

  await postForm(
    web.app,
    '/account/totp/start',
    { csrf: session.csrf },
    { cookie: session.cookie },
  );
  const pending = await get(web.app, '/account', undefined, session.cookie);
  const secret = secretOn(pending.body);
  t.equal(secret.length, 20, 'a 160-bit secret');
  t.match(pending.body, /<svg class="qr"[^>]*role="img"/, 'a QR code drawn as SVG');
  t.notMatch(pending.body, /\sstyle=/, 'no style attribute for the CSP to block');
  const uri = /data-otpauth="([^"]+)"/.exec(pending.body)?.[1]?.replaceAll('&amp;', '&') ?? '';
  t.match(uri, `otpauth://totp/linekeeper:nurse?secret=${base32Encode(secret)}&issuer=linekeeper`);

  const wrong = await postForm(
    web.app,
    '/account/totp/confirm',
    { csrf: session.csrf, code: codeNow(web, secret, 3) },
    { cookie: session.cookie },
  );
  t.equal(wrong.statusCode, 400, 'a code from 90 s ahead does not confirm');
  t.match(wrong.body, 'Code: wrong or expired.');
  t.notOk(web.users.byName('nurse') && (await isOn(web, session.cookie)), 'still off');

  const ok = await postForm(
    web.app,
    '/account/totp/confirm',
    { csrf: session.csrf, code: codeNow(web, secret) },
    { cookie: session.cookie },
  );
  t.equal(ok.statusCode, 303);
  const after = await get(web.app, '/account?saved=on', undefined, session.cookie);
  t.match(after.body, 'data-state="on"');
  t.match(after.body, 'Two-step login is on.');
  t.notMatch(after.body, base32Encode(secret).slice(0, 8), 'the key is never shown again');
  t.notMatch(after.body, 'totp-secret');

  const again = await postForm(
    web.app,
    '/account/totp/start',
    { csrf: session.csrf },
    { cookie: session.cookie },
  );
  t.equal(again.statusCode, 409, 'an active factor is not silently replaced');

  // Sealed at rest: neither the raw secret nor its base32 form is in the database file.
  web.db.handle().pragma('wal_checkpoint(TRUNCATE)');
  const file = readFileSync(web.file);
  t.equal(file.indexOf(secret), -1, 'raw secret not in the database');
  t.equal(file.indexOf(Buffer.from(base32Encode(secret))), -1, 'base32 secret not in it');

  t.match(
    audit(web, 'auth.totp.confirm').map((e) => [e.outcome, e.subject]),
    [
      ['done', 'nurse'],
      ['refused', 'nurse'],
    ],
  );
  t.equal(audit(web, 'auth.totp.enrol').length, 2, 'both starts audited (one refused)');
});

async function isOn(web: Web, cookie: string): Promise<boolean> {
  const page = await get(web.app, '/account', undefined, cookie);
  return page.body.includes('data-state="on"');
}

t.test('login asks for the code after the password; a used code is refused', async (t) => {
  const web = await makeWeb(t);
  await addUser(web, 'nurse', 'staff');
  const secret = await enrol(web, await logIn(web.app, 'nurse'));

  const step = await passwordStep(web.app, 'nurse');
  t.equal(step.res.statusCode, 303);
  t.equal(step.res.headers.location, '/login/code', 'the password alone does not sign in');
  t.notMatch(cookiesOf(step.res), /lk_session/, 'no session yet');
  t.match(cookiesOf(step.res), /^lk_login=/, 'a pending-login token');
  t.equal((await get(web.app, '/', undefined, step.cookie)).statusCode, 303, 'it opens no page');
  const form = await anonGet(web.app, '/login/code', step.cookie);
  t.equal(form.statusCode, 200);
  t.match(form.body, 'autocomplete="one-time-code"');

  // The code that confirmed enrolment is spent: it must not log in.
  const replay = await sendCode(web.app, step, codeNow(web, secret));
  t.equal(replay.statusCode, 401, 'the enrolment code is spent');
  t.match(replay.body, 'already used');

  web.clock.now += 30_000;
  const wrong = await sendCode(web.app, step, codeNow(web, secret, 2));
  t.equal(wrong.statusCode, 401, 'a code two steps ahead is refused');
  const ok = await sendCode(web.app, step, codeNow(web, secret, 1));
  t.equal(ok.statusCode, 303, 'one step ahead (a phone clock a little fast) is fine');
  t.equal(ok.headers.location, '/');
  const session = cookiesOf(ok);
  t.match(session, /lk_session=/);
  t.match(String(ok.headers['set-cookie']), /lk_login=; .*Max-Age=0/, 'the token is cleared');
  t.equal((await get(web.app, '/', undefined, session)).statusCode, 200, 'signed in');

  const used = await sendCode(web.app, step, codeNow(web, secret));
  t.equal(used.statusCode, 401, 'the pending token works once');
  t.match(used.body, 'enter your user name and password again');

  const again = await passwordStep(web.app, 'nurse');
  const sameCode = await sendCode(web.app, again, codeNow(web, secret, 1));
  t.equal(sameCode.statusCode, 401, 'the code just used does not work a second time');
  t.match(sameCode.body, 'already used');

  const reasons = audit(web, 'auth.login').map((e) => `${e.outcome}:${e.detail.reason ?? ''}`);
  t.ok(reasons.includes('refused:code-replayed'));
  t.ok(reasons.includes('refused:wrong-code'));
  t.ok(reasons.includes('refused:no-pending-login'));
  t.match(
    audit(web, 'auth.login').find((e) => e.outcome === 'done' && e.subject === 'nurse'),
    {
      actor: 'web:nurse',
      detail: { factor: 'totp' },
    },
  );
  t.match(audit(web, 'auth.password').at(0), { subject: 'nurse', detail: { next: 'totp' } });

  // Five minutes later the pending login is gone.
  const slow = await passwordStep(web.app, 'nurse');
  web.clock.now += 5 * 60_000 + 1;
  const late = await sendCode(web.app, slow, codeNow(web, secret));
  t.equal(late.statusCode, 401, 'a pending login expires after five minutes');
});

t.test(
  'wrong codes count towards the lockout; a known password buys no extra guesses',
  async (t) => {
    const web = await makeWeb(t);
    await addUser(web, 'nurse', 'staff');
    const secret = await enrol(web, await logIn(web.app, 'nurse'));
    web.clock.now += 30_000;

    let step = await passwordStep(web.app, 'nurse');
    for (let i = 0; i < 2; i++) await sendCode(web.app, step, '000000');
    // Typing the password again must not reset the count.
    step = await passwordStep(web.app, 'nurse');
    t.equal(step.res.headers.location, '/login/code');
    await sendCode(web.app, step, '000001');
    await sendCode(web.app, step, '000002');
    const fifth = await sendCode(web.app, step, '000003');
    t.equal(fifth.statusCode, 429, 'the fifth wrong code locks');
    t.ok(Number(fifth.headers['retry-after']) > 0);
    t.match(fifth.body, 'Too many failed attempts');
    const right = await sendCode(web.app, step, codeNow(web, secret));
    t.equal(right.statusCode, 401, 'the pending login was dropped with the lock');
    const relogin = await passwordStep(web.app, 'nurse');
    t.equal(relogin.res.statusCode, 429, 'the account is locked for the password step too');
    t.ok(
      audit(web, 'auth.login').some((e) => e.detail.reason === 'wrong-code-locked'),
      'the lock is audited',
    );

    web.clock.now += 16 * 60_000;
    const later = await passwordStep(web.app, 'nurse');
    const ok = await sendCode(web.app, later, codeNow(web, secret));
    t.equal(ok.statusCode, 303, 'after the lock the right code works');
  },
);

t.test('switching off needs password and a fresh code', async (t) => {
  const web = await makeWeb(t);
  await addUser(web, 'nurse', 'staff');
  const session = await logIn(web.app, 'nurse');
  const secret = await enrol(web, session);
  web.clock.now += 30_000;
  const disable = (fields: Record<string, string>) =>
    postForm(
      web.app,
      '/account/totp/disable',
      { csrf: session.csrf, ...fields },
      { cookie: session.cookie },
    );
  const noPassword = await disable({ password: 'wrong password!', code: codeNow(web, secret) });
  t.equal(noPassword.statusCode, 400);
  t.match(noPassword.body, 'Password: wrong.');
  const noCode = await disable({ password: PASSWORD, code: '123456' });
  t.equal(noCode.statusCode, 400);
  t.ok(await isOn(web, session.cookie), 'still on');
  const ok = await disable({ password: PASSWORD, code: codeNow(web, secret) });
  t.equal(ok.statusCode, 303);
  t.equal(ok.headers.location, '/account?saved=off');
  t.notOk(await isOn(web, session.cookie), 'off');
  const login = await passwordStep(web.app, 'nurse');
  t.equal(login.res.headers.location, '/', 'the password alone signs in again');
  t.match(
    audit(web, 'auth.totp.disable').map((e) => [e.outcome, e.detail.reason]),
    [['done'], ['refused', 'wrong-code'], ['refused', 'wrong-password']],
  );
});

t.test('admins reset another user’s factor; staff cannot; nobody resets their own', async (t) => {
  const web = await makeWeb(t);
  await addUser(web, 'nurse', 'staff');
  await addUser(web, 'other-nurse', 'staff');
  const nurse = await logIn(web.app, 'nurse');
  await enrol(web, nurse);
  const admin = await logIn(web.app, 'admin-test');
  await enrol(web, admin);
  const other = await logIn(web.app, 'other-nurse');

  const list = await get(web.app, '/users', undefined, admin.cookie);
  t.match(list.body, /data-username="nurse">.*data-totp="on"/);
  t.match(list.body, /data-username="other-nurse">.*data-totp="off"/);
  t.match(list.body, 'action="/users/nurse/totp/reset"');
  t.notMatch(list.body, 'action="/users/admin-test/totp/reset"', 'no reset button for oneself');

  const byStaff = await postForm(
    web.app,
    '/users/nurse/totp/reset',
    { csrf: other.csrf },
    { cookie: other.cookie },
  );
  t.equal(byStaff.statusCode, 403, 'staff cannot reset another user');
  t.ok(await isOn(web, nurse.cookie), 'still on');
  const noToken = await postForm(web.app, '/users/nurse/totp/reset', {}, { cookie: admin.cookie });
  t.equal(noToken.statusCode, 403, 'no CSRF token: refused');
  const own = await postForm(
    web.app,
    '/users/admin-test/totp/reset',
    { csrf: admin.csrf },
    { cookie: admin.cookie },
  );
  t.equal(own.statusCode, 400, 'an admin cannot drop their own factor without password and code');
  t.ok(await isOn(web, admin.cookie));
  for (const path of ['/users/..%2F..%2Fetc/totp/reset', '/users/nobody/totp/reset']) {
    const res = await postForm(web.app, path, { csrf: admin.csrf }, { cookie: admin.cookie });
    t.equal(res.statusCode, 404, `${path}: no such account`);
  }

  const reset = await postForm(
    web.app,
    '/users/nurse/totp/reset',
    { csrf: admin.csrf },
    { cookie: admin.cookie },
  );
  t.equal(reset.statusCode, 200);
  t.match(reset.body, 'Two-step login of nurse is off');
  t.notOk(await isOn(web, nurse.cookie), 'the nurse logs in with the password again');
  const twice = await postForm(
    web.app,
    '/users/nurse/totp/reset',
    { csrf: admin.csrf },
    { cookie: admin.cookie },
  );
  t.equal(twice.statusCode, 409, 'nothing left to reset');
  const entries = audit(web, 'users.totp.reset');
  t.match(entries.at(0), { outcome: 'refused', detail: { reason: 'none' } });
  t.ok(
    entries.some(
      (e) => e.outcome === 'done' && e.subject === 'nurse' && e.actor === 'web:admin-test',
    ),
  );
  t.ok(entries.some((e) => e.detail.reason === 'own-account'));
  t.ok(audit(web, 'web.forbidden').some((e) => e.actor === 'web:other-nurse'));
});
