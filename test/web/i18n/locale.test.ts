import t from 'tap';
import { negotiateLocale } from '../../../src/web/i18n/locale.js';
import { makeWeb } from '../web-fixtures.js';

t.test('Accept-Language picks the best of en, de, es by weight', async (t) => {
  t.equal(negotiateLocale('de-AT,de;q=0.9,en;q=0.8', 'en'), 'de');
  t.equal(negotiateLocale('fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4', 'de'), 'es', 'skips what we lack');
  t.equal(negotiateLocale('en;q=0.2, ES ;q=0.7', 'de'), 'es', 'case and spaces');
  t.equal(negotiateLocale('fr, it', 'de'), 'de', 'none of ours: the configured language');
  t.equal(negotiateLocale('de;q=0, en;q=0.1', 'es'), 'en', 'q=0 means "not this one"');
  t.equal(negotiateLocale('de;q=abc', 'es'), 'es', 'a broken weight is ignored');
  t.equal(negotiateLocale(undefined, 'es'), 'es');
  t.equal(negotiateLocale('', 'de'), 'de');
});

t.test('the login page speaks the browser language, the lang cookie wins', async (t) => {
  const { app } = await makeWeb(t, { signIn: false });
  const page = (headers: Record<string, string>) =>
    app.inject({ method: 'GET', url: '/setup', headers: { host: 'localhost', ...headers } });

  const german = await page({ 'accept-language': 'de-DE,de;q=0.9' });
  t.match(german.body, '<html lang="de">');
  t.match(german.body, 'Ersteinrichtung');
  t.match(german.body, 'Einrichtungscode');

  const spanish = await page({ 'accept-language': 'es' });
  t.match(spanish.body, '<html lang="es">');
  t.match(spanish.body, 'Configuración inicial');

  const chosen = await page({ 'accept-language': 'de', cookie: 'lang=es' });
  t.match(chosen.body, '<html lang="es">', 'the cookie beats Accept-Language');
  const bogus = await page({ 'accept-language': 'de', cookie: 'lang=xx' });
  t.match(bogus.body, '<html lang="de">', 'an unknown cookie value is ignored');

  const english = await page({});
  t.match(english.body, '<html lang="en">', 'nothing asked: the configured language');
  t.match(english.body, 'First-run setup');
  for (const [lang, name] of [
    ['de', 'Deutsch'],
    ['es', 'Español'],
  ] as const) {
    t.match(english.body, `<a lang="${lang}" hreflang="${lang}" href="?lang=${lang}">${name}</a>`);
  }
});

t.test('?lang= sets the cookie and comes back to the same address without it', async (t) => {
  const { app } = await makeWeb(t, { signIn: false });
  const res = await app.inject({
    method: 'GET',
    url: '/login?next=%2Fcalls&lang=de',
    headers: { host: 'localhost' },
  });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/login?next=%2Fcalls', 'other parameters are kept');
  t.match(String(res.headers['set-cookie']), /^lang=de; Path=\/; Max-Age=\d+; SameSite=Lax$/);

  const unknown = await app.inject({
    method: 'GET',
    url: '/setup?lang=<script>',
    headers: { host: 'localhost' },
  });
  t.equal(unknown.statusCode, 303, 'an unknown language is dropped, not echoed');
  t.equal(unknown.headers.location, '/setup');
  t.notOk(unknown.headers['set-cookie']);
  // The footer link is `?lang=es`: the query of the page it was clicked on comes from Referer.
  const back = (referer: string) =>
    app.inject({ method: 'GET', url: '/calls?lang=es', headers: { host: 'localhost', referer } });
  const filtered = await back('http://localhost/calls?route=callback&before=2026-12-01&lang=de');
  t.equal(filtered.headers.location, '/calls?route=callback&before=2026-12-01', 'filter kept');
  const elsewhere = await back('http://localhost/callbacks?status=open');
  t.equal(elsewhere.headers.location, '/calls', 'another page: its query is not carried over');
  const foreign = await back('http://evil.example/calls?route=callback');
  t.equal(foreign.headers.location, '/calls', 'another host: ignored');
  const garbage = await back('::not a url::');
  t.equal(garbage.headers.location, '/calls', 'a malformed Referer: ignored');
});

t.test('a refusal is explained in the language of the page', async (t) => {
  const { app } = await makeWeb(t, { signIn: false });
  const form = await app.inject({
    method: 'GET',
    url: '/setup',
    headers: { host: 'localhost', 'accept-language': 'es' },
  });
  const csrf = /name="csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const cookie = String(form.headers['set-cookie']).split(';')[0]!;
  const res = await app.inject({
    method: 'POST',
    url: '/setup',
    headers: {
      host: 'localhost',
      origin: 'http://localhost',
      cookie: `${cookie}; lang=es`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams({
      csrf,
      code: 'AAAA-BBBB-CCCC-DDDD',
      username: 'someone',
      password: 'long enough password',
      password2: 'long enough password',
    }).toString(),
  });
  t.equal(res.statusCode, 403);
  t.match(res.body, 'El código de configuración es incorrecto');
});
