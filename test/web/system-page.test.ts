import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { writeProvisioningStatus } from '../../src/provisioning/provisioning-status.js';
import { SqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import { REPO_ROOT } from '../helpers/spawn-appliance.js';
import { makeSystemWeb } from './settings-fixtures.js';
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

const VERSION = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** Waits for a condition the server reaches after answering (it does not time anything). */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

t.test('/system shows version, uptime, Node, speech, MQTT, certificate and storage', async (t) => {
  const web = await makeSystemWeb(t);
  const page = await get(web.app, '/system');
  t.equal(page.statusCode, 200);
  t.same(securityHeaderProblems(page.headers), []);
  t.match(page.body, `<tr id="sys-version"><th scope="row">Version</th><td>${VERSION}</td></tr>`);
  t.match(page.body, `<td>${process.version}</td>`);
  t.match(page.body, /<tr id="sys-uptime"><th scope="row">Running for<\/th><td>1 h 2 min<\/td>/);
  t.match(page.body, '<td>simulated: ready</td>', 'speech state from the appliance status');
  t.match(page.body, 'not connected (broker 127.0.0.1:1 refused the connection)');
  t.match(page.body, '<code>AB:CD:EF:01</code>');
  t.match(
    page.body,
    /<tr id="sys-db"><th scope="row">Database size<\/th><td>\d+(\.\d)? (kB|MB)<\/td>/,
  );
  t.match(
    page.body,
    /<tr id="sys-disk"><th scope="row">Free disk space<\/th><td>\d+(\.\d)? (MB|GB|TB)/,
  );
  t.match(
    page.body,
    '<tr id="sys-integrity"><th scope="row">Database integrity check</th><td>passed</td>',
  );
  t.notMatch(page.body, 'id="unsupervised"', 'under systemd the restart needs no warning');
  const es = await get(web.app, '/system', undefined, `${sessionCookie(web.app)}; lang=es`);
  t.match(es.body, 'Reiniciar el equipo');
  t.match(es.body, 'superada');
});

t.test(
  '/system says what linekeeper.yaml from the SD card did, or why it was rejected',
  async (t) => {
    const web = await makeSystemWeb(t);
    const none = await get(web.app, '/system');
    t.match(none.body, /<p id="provisioning">No linekeeper.yaml has been applied/);

    writeProvisioningStatus(web.dataDir, {
      ok: true,
      at: '2026-12-01T08:00:00.000Z',
      file: '/boot/firmware/linekeeper.yaml',
      changed: ['device.name', 'network: wifi'],
      warnings: ['no cmdline.txt: set the Wi-Fi country with raspi-config'],
      errors: [],
    });
    const applied = await get(web.app, '/system');
    t.match(
      applied.body,
      '/boot/firmware/linekeeper.yaml was applied on 2026-12-01T08:00:00.000Z.',
    );
    t.match(applied.body, 'Changed: device.name, network: wifi');
    t.match(applied.body, '<li>no cmdline.txt: set the Wi-Fi country with raspi-config</li>');

    writeProvisioningStatus(web.dataDir, {
      ok: false,
      at: '2026-12-02T08:00:00.000Z',
      file: '/boot/firmware/linekeeper.yaml',
      changed: [],
      warnings: [],
      errors: [
        {
          path: 'wifi.pasword',
          message: 'unknown key; did you mean "password"? <script>',
          line: 7,
        },
      ],
    });
    const rejected = await get(web.app, '/system');
    t.match(rejected.body, /<div id="provisioning" class="error" role="alert">/);
    t.match(rejected.body, 'was rejected on 2026-12-02T08:00:00.000Z: nothing was changed');
    t.match(
      rejected.body,
      '<code>/boot/firmware/linekeeper.yaml:7:1: wifi.pasword: unknown key; did you mean &quot;password&quot;? &lt;script&gt;</code>',
      'each problem with its line, escaped',
    );
    const de = await get(web.app, '/system', undefined, `${sessionCookie(web.app)}; lang=de`);
    t.match(de.body, 'wurde am 2026-12-02T08:00:00.000Z abgelehnt');
  },
);

t.test(
  'restart: a CSRF-checked, audited POST asks the injected exit once the answer is sent',
  async (t) => {
    const web = await makeSystemWeb(t);
    const cookie = sessionCookie(web.app);
    const page = await get(web.app, '/system');
    const csrf = csrfOf(page.body);

    const noToken = await postForm(web.app, '/system/restart', { csrf: '' }, { cookie });
    t.equal(noToken.statusCode, 403);
    const foreign = await postForm(
      web.app,
      '/system/restart',
      { csrf },
      { cookie, origin: 'https://evil.example' },
    );
    t.equal(foreign.statusCode, 403);
    const anonymous = await postForm(web.app, '/system/restart', { csrf });
    t.equal(anonymous.statusCode, 303, 'no session: to the login page');
    t.equal((await anonGet(web.app, '/system')).headers.location, '/login');
    await addUser(web, 'front-desk', 'staff');
    const staff = await logIn(web.app, 'front-desk');
    t.equal((await get(web.app, '/system', undefined, staff.cookie)).statusCode, 403);
    const staffPost = await postForm(
      web.app,
      '/system/restart',
      { csrf: staff.csrf },
      { cookie: staff.cookie },
    );
    t.equal(staffPost.statusCode, 403);
    t.same(web.restarts, [], 'no refused request restarted anything');

    const res = await postForm(web.app, '/system/restart', { csrf }, { cookie });
    t.equal(res.statusCode, 202);
    t.match(res.body, 'The appliance is stopping; calls ring at the front desk until it is back.');
    await eventually(() => web.restarts.length === 1, 'the restart');
    const entry = new SqliteAuditLog(web.db)
      .entries({ limit: 20 })
      .find((e) => e.action === 'system.restart');
    t.equal(entry?.actor, 'web:admin-test');
    t.equal(entry?.outcome, 'done');
  },
);

t.test('run by hand (no systemd), the page says the appliance will not come back', async (t) => {
  const web = await makeSystemWeb(t, { supervised: false });
  const page = await get(web.app, '/system');
  t.match(page.body, /id="unsupervised">This appliance was not started by systemd/);
  const res = await postForm(
    web.app,
    '/system/restart',
    { csrf: csrfOf(page.body) },
    { cookie: sessionCookie(web.app) },
  );
  t.match(res.body, 'will not start again by itself');
  await eventually(() => web.restarts.length === 1, 'the restart');
});
