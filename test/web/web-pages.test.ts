import t from 'tap';
import { callRecord, get, makeWeb, sessionCookie } from './web-fixtures.js';

t.test(
  '/calls filters by route and day, pages by 50, and exports CSV without numbers',
  async (t) => {
    const { app, store } = await makeWeb(t);
    const day = new Date(2026, 0, 15, 10, 0).getTime();
    for (let i = 0; i < 55; i++) {
      await store.saveCall(callRecord({ startedAt: new Date(day + i * 60_000) }));
    }
    const other = callRecord({
      startedAt: new Date(day - 86_400_000),
      route: 'callback',
      topic: '=HYPERLINK("x")',
    });
    await store.saveCall(other);

    const first = await get(app, '/calls?route=transfer&from=2026-01-15&to=2026-01-15');
    t.equal(first.statusCode, 200);
    t.match(first.body, '55 call(s); page 1 of 2');
    t.equal(first.body.match(/data-call-id=/g)?.length, 50, '50 rows on a page');
    t.match(
      first.body,
      'rel="next" href="/calls?route=transfer&amp;from=2026-01-15&amp;to=2026-01-15&amp;page=2"',
    );
    const second = await get(app, '/calls?route=transfer&from=2026-01-15&to=2026-01-15&page=2');
    t.equal(second.body.match(/data-call-id=/g)?.length, 5);
    const cb = await get(app, '/calls?route=callback');
    t.match(cb.body, '1 call(s)');
    t.match(cb.body, `data-call-id="${other.id}"`);
    const wildcard = await get(app, '/calls?route=%25');
    t.match(wildcard.body, '0 call(s)', '% is a plain character, not a wildcard');
    const bad = await get(app, '/calls?from=yesterday');
    t.equal(bad.statusCode, 400);
    t.match(bad.body, 'query parameter from must match pattern');

    const csv = await get(app, '/calls.csv?route=callback');
    t.equal(csv.statusCode, 200);
    t.match(csv.headers['content-type'], /^text\/csv/);
    t.match(csv.headers['content-disposition'], /attachment/);
    const lines = csv.body.trim().split('\r\n');
    t.equal(lines[0], 'time,caller,route,topic,choices,duration_s,end_reason');
    t.equal(lines.length, 2);
    t.match(lines[1], ',…42,callback,');
    t.match(lines[1], `"'=HYPERLINK(""x"")"`, 'a formula is neutralised and quoted');
    t.notMatch(csv.body, 'hash-that-must-never-reach-the-browser');
  },
);

t.test('/callbacks shows the number to staff; values are escaped', async (t) => {
  const web = await makeWeb(t);
  web.callbacks.add({
    callId: 'c1',
    number: '+4930123<b>',
    callerHash: 'h',
    callerHint: '23',
    topic: '<script>x</script>',
    window: null,
    language: 'en',
    createdAtMs: web.clock.now,
    retentionMs: 86_400_000,
  });
  const page = await get(web.app, '/callbacks');
  t.match(page.body, '<td class="number">+4930123&lt;b&gt;</td>');
  t.match(page.body, '&lt;script&gt;x&lt;/script&gt;');
  t.notMatch(page.body, /<script>x/);
  const missing = await web.app.inject({
    method: 'POST',
    url: '/callbacks/../../etc/passwd/handled',
    headers: { host: '127.0.0.1:8080' },
  });
  t.equal(missing.statusCode, 403, 'a post outside any form is refused before routing matters');
  t.equal(web.callbacks.open(web.clock.now).length, 1, 'and changes nothing');
});

t.test('the calls-per-hour chart counts today’s calls per local hour from SQLite', async (t) => {
  const web = await makeWeb(t);
  web.clock.now = new Date(2026, 0, 15, 14, 30).getTime();
  const at = (day: number, hour: number, minute: number) =>
    callRecord({ startedAt: new Date(2026, 0, day, hour, minute) });
  for (const record of [
    at(15, 9, 0),
    at(15, 9, 59),
    at(15, 14, 5),
    at(15, 0, 0),
    at(15, 23, 59),
    at(14, 23, 59), // yesterday
    at(16, 0, 0), // tomorrow
  ]) {
    await web.store.saveCall(record);
  }
  const expected = new Array(24).fill(0);
  expected[0] = 1;
  expected[9] = 2;
  expected[14] = 1;
  expected[23] = 1;
  const countsIn = (body: string) =>
    [...body.matchAll(/data-hour="(\d+)" data-count="(\d+)"/g)].map((m) => Number(m[2]));

  const page = await get(web.app, '/');
  t.same(countsIn(page.body), expected, 'the page has a bar per hour with its count');
  t.match(page.body, '<title>09:00–10:00: 2 calls</title>', 'each bar is named by its title');
  t.match(page.body, '<title>14:00–15:00: 1 call</title>');
  t.match(page.body, /class="bar now"[^>]*data-hour="14"/, 'the current hour stands out');
  t.match(page.body, /<svg id="calls-chart"[^>]*aria-labelledby="chart-heading"/);
  t.notMatch(page.body, /\sstyle=/, 'no style attributes (CSP)');

  const fragment = await get(web.app, '/api/calls-per-hour.svg');
  t.equal(fragment.statusCode, 200);
  t.match(fragment.headers['content-type'], /^image\/svg\+xml/);
  t.same(countsIn(fragment.body), expected, 'live.js gets the same chart');
  await web.store.saveCall(at(15, 9, 30));
  expected[9] = 3;
  t.same(countsIn((await get(web.app, '/api/calls-per-hour.svg')).body), expected, 'a new call');

  const german = await get(web.app, '/api/calls-per-hour.svg', undefined, langCookie(web, 'de'));
  t.match(german.body, '<title>09:00–10:00: 3 Anrufe</title>', 'in the reader’s language');
  const anon = await web.app.inject({
    url: '/api/calls-per-hour.svg',
    headers: { host: 'localhost' },
  });
  t.equal(anon.statusCode, 401, 'needs a login');
});

function langCookie(web: { app: Parameters<typeof sessionCookie>[0] }, lang: string): string {
  return `${sessionCookie(web.app)}; lang=${lang}`;
}

/** Texts a reader scans first: headings, table heads, labels and buttons. */
function scannedTexts(body: string): string[] {
  const main = body.slice(body.indexOf('<main>'));
  return [...main.matchAll(/<(h[2-4]|th|label|button)\b[^>]*>([^<]+)/g)]
    .map((m) => m[2]!.trim())
    .filter(Boolean);
}

t.test('every page renders in German and Spanish without English leftovers', async (t) => {
  const web = await makeWeb(t);
  await web.store.saveCall(callRecord({ startedAt: new Date(web.clock.now - 60_000) }));
  web.callbacks.add({
    callId: 'c1',
    number: '+4930123',
    callerHash: 'h',
    callerHint: '23',
    topic: 'appointments',
    window: null,
    language: 'de',
    createdAtMs: web.clock.now,
    retentionMs: 86_400_000,
  });
  const known: Record<string, Record<'de' | 'es', string>> = {
    '/': { de: 'Anrufe pro Stunde heute', es: 'Llamadas por hora hoy' },
    '/calls': { de: 'Anrufliste', es: 'Registro de llamadas' },
    '/callbacks': { de: 'Rückrufwünsche', es: 'Solicitudes de devolución de llamada' },
    '/audit': { de: 'Protokoll', es: 'Registro de auditoría' },
    '/users': { de: 'Neues Konto', es: 'Cuenta nueva' },
    '/account': { de: 'Anmeldung in zwei Schritten', es: 'Inicio de sesión en dos pasos' },
  };
  // Words that are the same in English and the other language.
  const sameInBoth = new Set(['Name', 'Status']);
  for (const [url, expected] of Object.entries(known)) {
    const english = scannedTexts((await get(web.app, url, undefined, langCookie(web, 'en'))).body);
    t.ok(english.length >= 2, `${url}: English texts found`);
    for (const lang of ['de', 'es'] as const) {
      const res = await get(web.app, url, undefined, langCookie(web, lang));
      t.equal(res.statusCode, 200, `${url} in ${lang}`);
      t.match(res.body, `<html lang="${lang}">`);
      t.match(res.body, expected[lang], `${url} in ${lang}: "${expected[lang]}"`);
      const leftovers = scannedTexts(res.body).filter(
        (text) => english.includes(text) && !sameInBoth.has(text),
      );
      t.same(leftovers, [], `${url} in ${lang}: no English heading, label or button`);
    }
  }
  const dashboard = await get(web.app, '/', undefined, langCookie(web, 'de'));
  t.match(dashboard.body, 'data-route="transfer:reception">Weiterleitung: reception</td>');
  t.match(dashboard.body, 'data-end-reason="transferred">weitergeleitet</td>');
  t.match(dashboard.body, '<td>31,4 s</td>', 'German decimal comma');
  t.match(dashboard.body, 'data-state="idle">frei</p>', 'state translated, data-state English');
  const labels = /<script type="application\/json" id="labels">([^<]*)<\/script>/.exec(
    dashboard.body,
  );
  t.ok(labels, 'the words live.js needs are on the page');
  t.equal(JSON.parse(labels![1]!).dashboard.speech.ready, '{kind} bereit');
  const csv = await get(web.app, '/calls.csv', undefined, langCookie(web, 'es'));
  t.match(
    csv.body,
    /^time,caller,route,topic,choices,duration_s,end_reason\r\n/,
    'CSV stays English',
  );
  t.match(csv.body, ',transfer:reception,', 'with raw values');
});

t.test('stored values that look like object keys are shown as stored', async (t) => {
  const web = await makeWeb(t);
  await web.store.saveCall(callRecord({ route: 'constructor', topic: null }));
  await web.store.saveCall(callRecord({ route: '__proto__:toString' }));
  const page = await get(web.app, '/calls');
  t.match(page.body, 'data-route="constructor">constructor</td>');
  t.match(page.body, 'data-route="__proto__:toString">__proto__: toString</td>');
  t.notMatch(page.body, /function|\[object/);
});
