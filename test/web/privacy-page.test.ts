import { existsSync, readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import {
  makePrivacyWeb,
  OTHER,
  PATIENT,
  PATIENT_DIGITS,
  type PrivacyWeb,
} from './privacy-fixtures.js';
import { csrfOf, get, postForm } from './web-fixtures.js';

function post(web: PrivacyWeb, url: string, fields: Record<string, string>, who = web.admin) {
  return postForm(web.app, url, { csrf: who.csrf, ...fields }, { cookie: who.cookie });
}

/** Every audit entry, as stored, in one string: what a leak of the raw number would show in. */
function auditText(web: PrivacyWeb): string {
  return JSON.stringify(web.audit.entries({ limit: 1000 }));
}

function counts(body: string, table: string): Record<string, number> {
  const section = new RegExp(`<table id="${table}"[\\s\\S]*?</table>`).exec(body)?.[0] ?? '';
  return Object.fromEntries(
    [...section.matchAll(/data-kind="(\w+)"><th scope="row">[^<]*<\/th><td>(\d+)<\/td>/g)].map(
      ([, kind, n]) => [kind, Number(n)],
    ),
  );
}

t.test('the page shows the retention in force and what is stored', async (t) => {
  const web = await makePrivacyWeb(t);
  const page = await get(web.app, '/privacy', '127.0.0.1:8080', web.admin.cookie);
  t.equal(page.statusCode, 200);
  t.match(page.body, /<tr data-kind="calls"><td>Call records[^<]*<\/td><td>60 days<\/td>/);
  t.match(page.body, /<tr data-kind="callbacks"><td>[^<]*<\/td><td>until handled, at most 7 days/);
  t.match(page.body, /data-kind="voicemails"/, 'voicemail is on in this set-up');
  t.match(page.body, 'docs/privacy.md');
  t.match(page.body, 'href="/privacy" aria-current="page"');
  const german = await get(web.app, '/privacy', '127.0.0.1:8080', `${web.admin.cookie}; lang=de`);
  t.match(german.body, 'Was gespeichert wird und wie lange');
  t.match(german.body, '<td>60 Tage</td>');
});

t.test('export downloads the same JSON the CLI prints, audited by hash', async (t) => {
  const web = await makePrivacyWeb(t);
  const hash = web.pseudonymizer.hashNumber(PATIENT);
  const res = await post(web, '/privacy/export', { number: '+49 (30) 555-0123' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  t.match(
    res.headers['content-disposition'],
    /^attachment; filename="linekeeper-privacy-export-\d{4}-\d\d-\d\d-23\.json"$/,
  );
  t.equal(res.headers['cache-control'], 'no-store');
  const report = JSON.parse(res.body);
  t.same(Object.keys(report), ['request', 'data', 'notes']);
  t.equal(report.request.number, `+${PATIENT_DIGITS}`);
  t.equal(report.request.callerHash, hash);
  t.equal(report.request.by, 'web:admin-test');
  t.equal(report.data.calls.length, 1, 'the patient’s call, not the other caller’s');
  t.equal(report.data.callEvents.length, 1);
  t.equal(report.data.callbacks[0].number, '+49305550123', 'callback number unsealed');
  t.equal(report.data.voicemails.length, 1);
  t.equal(report.data.guardBlocks.length, 1);
  const entry = web.audit.entries({ subject: hash, limit: 10 })[0];
  t.match(entry, { action: 'privacy.export', actor: 'web:admin-test', outcome: 'done' });
  t.match(entry?.detail, { calls: 1, callbacks: 1, voicemails: 1 });
  t.notMatch(auditText(web), PATIENT_DIGITS);
  t.notMatch(auditText(web), '5550123');
});

t.test('erase needs the last digits typed back, then removes everything', async (t) => {
  const web = await makePrivacyWeb(t);
  const hash = web.pseudonymizer.hashNumber(PATIENT);
  const review = await post(web, '/privacy/review', { number: PATIENT });
  t.equal(review.statusCode, 200);
  t.equal(review.headers['cache-control'], 'no-store');
  t.same(counts(review.body, 'found-counts'), {
    calls: 1,
    callEvents: 1,
    callbacks: 1,
    voicemails: 1,
    guardBlocks: 1,
    auditLog: 0,
  });
  t.match(review.body, 'type the last 4 digits of the number');
  t.equal(readdirSync(web.voicemailDir).length, 1);

  const wrong = await post(web, '/privacy/erase', { number: PATIENT, confirm: '9999' });
  t.equal(wrong.statusCode, 400);
  t.match(wrong.body, 'do not match the number; nothing was erased');
  const missing = await post(web, '/privacy/erase', { number: PATIENT });
  t.equal(missing.statusCode, 400, 'no confirmation, no erasure');
  t.equal(counts(missing.body, 'found-counts').calls, 1, 'still there');

  const erased = await post(web, '/privacy/erase', {
    number: PATIENT,
    confirm: PATIENT_DIGITS.slice(-4),
  });
  t.equal(erased.statusCode, 200);
  t.same(counts(erased.body, 'erased-counts'), {
    calls: 1,
    callEvents: 1,
    callbacks: 1,
    voicemails: 1,
    voicemailFiles: 1,
    guardBlocks: 1,
  });
  t.same(readdirSync(web.voicemailDir), [], 'the encrypted audio file is gone');
  t.match(
    web.audit.entries({ subject: hash, limit: 10 }).find((e) => e.action === 'privacy.erase'),
    { outcome: 'done', actor: 'web:admin-test', detail: { calls: 1, voicemailFiles: 1 } },
    'the erasure is audited under the keyed hash',
  );
  t.same(web.forgotten, [`+${PATIENT_DIGITS}`], 'the running guard is told to forget it');

  const after = JSON.parse((await post(web, '/privacy/export', { number: PATIENT })).body);
  for (const kind of ['calls', 'callEvents', 'callbacks', 'voicemails', 'guardBlocks'])
    t.same(after.data[kind], [], `${kind} erased`);
  t.same(
    after.data.auditLog.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`),
    ['privacy.lookup:done', 'privacy.lookup:done', 'privacy.lookup:done', 'privacy.erase:done'],
    'only the record of the requests stays, under the hash',
  );
  const refusals = web.audit
    .entries({ limit: 100 })
    .filter((e) => e.action === 'privacy.erase' && e.outcome === 'refused');
  t.equal(refusals.length, 2, 'both unconfirmed attempts are audited');
  t.notMatch(auditText(web), PATIENT_DIGITS, 'no audit entry holds the number');
  t.notMatch(auditText(web), '555');
  const other = JSON.parse((await post(web, '/privacy/export', { number: OTHER })).body);
  t.equal(other.data.calls.length, 1, 'another caller’s data is untouched');
  const bytes = Buffer.concat(
    [web.file, `${web.file}-wal`].filter(existsSync).map((f) => readFileSync(f)),
  );
  t.notOk(bytes.includes(Buffer.from(web.patientCallId)), 'the call is gone from file and WAL');
});

t.test('staff may not use the page or its actions', async (t) => {
  const web = await makePrivacyWeb(t);
  const page = await get(web.app, '/privacy', '127.0.0.1:8080', web.staff.cookie);
  t.equal(page.statusCode, 403);
  for (const url of ['/privacy/export', '/privacy/review', '/privacy/erase']) {
    const res = await post(web, url, { number: PATIENT, confirm: '0123' }, web.staff);
    t.equal(res.statusCode, 403, url);
    t.notMatch(res.body, '"calls"', `${url} shows nothing`);
  }
  const home = await get(web.app, '/', '127.0.0.1:8080', web.staff.cookie);
  t.notMatch(home.body, 'href="/privacy"', 'no nav entry for staff');
  const review = await post(web, '/privacy/review', { number: PATIENT });
  t.equal(counts(review.body, 'found-counts').calls, 1, 'nothing was erased by staff');
});

t.test('posts without the CSRF token or from another site are refused', async (t) => {
  const web = await makePrivacyWeb(t);
  const noToken = await postForm(
    web.app,
    '/privacy/erase',
    { number: PATIENT, confirm: '0123' },
    { cookie: web.admin.cookie },
  );
  t.equal(noToken.statusCode, 403);
  t.match(noToken.body, 'no CSRF token');
  const wrongToken = await postForm(
    web.app,
    '/privacy/export',
    { csrf: 'x'.repeat(43), number: PATIENT },
    { cookie: web.admin.cookie },
  );
  t.equal(wrongToken.statusCode, 403);
  const elsewhere = await postForm(
    web.app,
    '/privacy/erase',
    { csrf: web.admin.csrf, number: PATIENT, confirm: '0123' },
    { cookie: web.admin.cookie, origin: 'http://evil.example' },
  );
  t.equal(elsewhere.statusCode, 403);
  const review = await post(web, '/privacy/review', { number: PATIENT });
  t.equal(counts(review.body, 'found-counts').calls, 1, 'nothing was erased');
});

t.test('malformed numbers are refused with a message naming the field', async (t) => {
  const web = await makePrivacyWeb(t);
  const bad = [
    'nobody',
    '12',
    '+49 30 555 0123 or +49 30 555 0999',
    '<script>alert(1)</script>',
    '1'.repeat(18),
    '4930%0A5550123',
    '',
  ];
  for (const number of bad) {
    for (const url of ['/privacy/export', '/privacy/review', '/privacy/erase']) {
      const res = await post(web, url, { number, confirm: '0123' });
      t.equal(res.statusCode, 400, `${url} ${JSON.stringify(number)}`);
      t.match(res.headers['content-type'], /^text\/html/);
      t.match(res.body, 'Phone number: use digits, spaces, brackets, dashes and a leading + only');
      t.notMatch(res.body, '<script>alert', 'input is never echoed unescaped');
    }
  }
  const es = await postForm(
    web.app,
    '/privacy/review',
    { csrf: web.admin.csrf, number: 'nadie' },
    { cookie: `${web.admin.cookie}; lang=es` },
  );
  t.match(es.body, 'Número de teléfono: use solo cifras');
  const huge = await post(web, '/privacy/review', { number: '1'.repeat(70_000) });
  t.equal(huge.statusCode, 413, 'bodies beyond the limit are refused before the page');
  const refused = web.audit
    .entries({ limit: 200 })
    .filter((e) => e.outcome === 'refused' && e.action.startsWith('privacy.'));
  t.equal(refused.length, bad.length * 3 + 1);
  t.ok(refused.every((e) => e.subject === null && e.detail.reason === 'malformed number'));
  t.notMatch(auditText(web), 'nobody', 'the typed text is not kept either');
});

t.test('a GET of the action URLs does nothing', async (t) => {
  const web = await makePrivacyWeb(t);
  const res = await get(
    web.app,
    `/privacy/erase?number=${encodeURIComponent(PATIENT)}&confirm=0123`,
    '127.0.0.1:8080',
    web.admin.cookie,
  );
  t.equal(res.statusCode, 404);
  const page = await get(web.app, '/privacy', '127.0.0.1:8080', web.admin.cookie);
  t.ok(csrfOf(page.body));
});
