import t from 'tap';
import { makePrivacyWeb } from './privacy-fixtures.js';
import { anonGet, get } from './web-fixtures.js';

const BANNER =
  /<div id="flood-alert" class="alert-banner" role="alert"( hidden)?>([\s\S]*?)<\/div>/;

t.test(
  'every signed-in page carries the flood banner, hidden while the line is calm',
  async (t) => {
    const web = await makePrivacyWeb(t);
    for (const url of ['/', '/calls', '/callbacks', '/privacy', '/audit']) {
      const page = await get(web.app, url, '127.0.0.1:8080', web.admin.cookie);
      t.equal(page.statusCode, 200, url);
      t.equal(BANNER.exec(page.body)?.[1], ' hidden', `${url}: present and hidden`);
      t.match(page.body, '<script src="/static/alerts.js" defer></script>', url);
      t.notMatch(page.body, '<!--linekeeper:alerts-->', `${url}: the slot is filled`);
    }
    const login = await anonGet(web.app, '/login');
    t.notMatch(login.body, 'flood-alert', 'not before login');
    const script = await get(web.app, '/static/alerts.js', '127.0.0.1:8080', web.admin.cookie);
    t.equal(script.statusCode, 200);
    t.match(script.headers['content-type'], /^text\/javascript/);
  },
);

t.test(
  'during a flood the banner shows since when and the counts, in the page language',
  async (t) => {
    const web = await makePrivacyWeb(t);
    const since = new Date(2026, 2, 2, 10, 4);
    web.status.guard = {
      state: 'flood',
      floodSince: since.toISOString(),
      screened: 230,
      challenged: 19,
      refused: 204,
      blockedNumbers: 17,
    };
    for (const [who, url] of [
      [web.staff, '/'],
      [web.staff, '/calls'],
      [web.admin, '/privacy'],
    ] as const) {
      const page = await get(web.app, url, '127.0.0.1:8080', who.cookie);
      const banner = BANNER.exec(page.body);
      t.equal(banner?.[1], undefined, `${url}: shown`);
      t.match(banner?.[2], 'Call flood');
      t.match(banner?.[2], `datetime="${since.toISOString()}">10:04</time>`);
      t.match(banner?.[2], '<span data-field="challenged">19</span> challenged');
      t.match(banner?.[2], '<span data-field="refused">204</span> refused');
      t.match(banner?.[2], '<span data-field="blockedNumbers">17</span> numbers blocked');
    }
    const de = await get(web.app, '/', '127.0.0.1:8080', `${web.staff.cookie}; lang=de`);
    t.match(BANNER.exec(de.body)?.[2], 'Anrufflut');
    const es = await get(web.app, '/', '127.0.0.1:8080', `${web.staff.cookie}; lang=es`);
    t.match(BANNER.exec(es.body)?.[2], 'Avalancha de llamadas');
    const api = await get(web.app, '/api/status', '127.0.0.1:8080', web.staff.cookie);
    t.match(JSON.parse(api.body).guard, { state: 'flood', blockedNumbers: 17 });
  },
);
