import t from 'tap';
import { callRecord, get, makeWeb } from './web-fixtures.js';

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
