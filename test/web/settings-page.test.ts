import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { ConfigInvalidError } from '../../src/config/config-errors.js';
import { loadConfig } from '../../src/config/load-config.js';
import { SqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import { formFields, makeSystemWeb } from './settings-fixtures.js';
import { addUser, anonGet, csrfOf, get, logIn, postForm, sessionCookie } from './web-fixtures.js';

const SECRET = 'broker-secret-never-shown';

t.test(
  '/settings shows the saved values, never the MQTT password, and the hours from the flow',
  async (t) => {
    const web = await makeSystemWeb(t, {
      configYaml: `mqtt:\n  username: clinic\n  password: ${SECRET}\n`,
    });
    const page = await get(web.app, '/settings');
    t.equal(page.statusCode, 200);
    t.notMatch(page.body, SECRET, 'the password is not in the page');
    t.match(page.body, 'A password is set');
    const fields = formFields(page.body);
    t.equal(fields['mqtt.password'], '', 'the password field is empty');
    t.equal(fields['mqtt.username'], 'clinic');
    t.equal(fields['line.driver'], 'simulated');
    t.equal(fields['relays.pins.lineSelect'], '17');
    t.equal(fields['privacy.retentionDays.calls'], '90');
    t.match(page.body, 'Node &quot;office-hours&quot; (time zone Europe/Berlin)');
    t.match(page.body, /<th scope="row">Mon<\/th><td>08:00-12:00, 14:00-18:00<\/td>/);
    t.match(page.body, 'href="/flows" id="edit-hours"');
    const de = await get(web.app, '/settings', undefined, `${sessionCookie(web.app)}; lang=de`);
    t.match(de.body, 'Einstellungen speichern');
    t.match(de.body, 'Öffnungszeiten');
  },
);

t.test(
  'a valid save writes settings.yaml (0600), merges over config.yaml and is audited by key',
  async (t) => {
    const web = await makeSystemWeb(t, { configYaml: 'mqtt:\n  username: clinic\n' });
    const page = await get(web.app, '/settings');
    const fields = formFields(page.body);
    const res = await postForm(
      web.app,
      '/settings',
      {
        ...fields,
        'mqtt.url': 'mqtt://192.168.1.10:1883',
        'mqtt.password': SECRET,
        'mqtt.enabled': 'on',
        'relays.pins.hook': '22',
        'privacy.retentionDays.calls': '30',
        'line.country': 'de',
      },
      { cookie: sessionCookie(web.app) },
    );
    t.equal(res.statusCode, 303, res.body);
    t.equal(res.headers.location, '/settings?saved=1');
    t.equal(statSync(web.settingsFile).mode & 0o777, 0o600, 'only the service reads it');
    const merged = loadConfig(web.configFile);
    t.equal(merged.overrideSource, web.settingsFile);
    t.equal(merged.config.mqtt.url, 'mqtt://192.168.1.10:1883');
    t.equal(merged.config.mqtt.password, SECRET);
    t.equal(merged.config.mqtt.username, 'clinic', 'config.yaml keys stay');
    t.equal(merged.config.relays.pins.hook, 22);
    t.equal(merged.config.privacy.retentionDays.calls, 30);
    t.equal(merged.config.line.country, 'de');
    t.equal(merged.config.privacy.retentionDays.callbacks, 7, 'untouched keys keep their value');
    const written = readFileSync(web.settingsFile, 'utf8');
    t.notMatch(written, 'callbacks', 'only changed keys are written');

    const audit = new SqliteAuditLog(web.db).entries({ limit: 10 });
    const save = audit.find((e) => e.action === 'settings.save');
    t.equal(save?.outcome, 'done');
    t.same([...((save?.detail.changed as string[]) ?? [])].sort(), [
      'line.country',
      'mqtt.enabled',
      'mqtt.password',
      'mqtt.url',
      'privacy.retentionDays.calls',
      'relays.pins.hook',
    ]);
    t.notMatch(JSON.stringify(audit), SECRET, 'no secret in the audit log');

    const after = await get(web.app, '/settings?saved=1');
    t.match(after.body, 'Settings saved. Restart the appliance to apply them.');
    t.match(
      after.body,
      /id="pending">Saved but not yet in use \(restart to apply\): [^<]*mqtt\.url/,
    );
    t.match(after.body, 'href="/system#restart"');
    t.notMatch(after.body, SECRET);

    // An empty password field keeps the password; the clear box removes it.
    const again = formFields(after.body);
    const keep = await postForm(web.app, '/settings', again, { cookie: sessionCookie(web.app) });
    t.equal(keep.headers.location, '/settings?saved=0', 'nothing changed');
    t.equal(loadConfig(web.configFile).config.mqtt.password, SECRET);
    const clear = await postForm(
      web.app,
      '/settings',
      { ...again, 'mqtt.password.clear': 'on' },
      { cookie: sessionCookie(web.app) },
    );
    t.equal(clear.headers.location, '/settings?saved=1');
    t.equal(loadConfig(web.configFile).config.mqtt.password, null);
  },
);

t.test('invalid settings are refused with the config schema message naming the key', async (t) => {
  const web = await makeSystemWeb(t);
  const fields = formFields((await get(web.app, '/settings')).body);
  const res = await postForm(
    web.app,
    '/settings',
    {
      ...fields,
      'mqtt.url': 'ftp://broker',
      'privacy.retentionDays.calls': 'ninety',
      'relays.pins.hook': '99',
      'line.driver': 'isdn',
    },
    { cookie: sessionCookie(web.app) },
  );
  t.equal(res.statusCode, 400);
  t.match(res.body, 'Not saved. Please correct these fields:');
  t.match(
    res.body,
    /Broker URL<\/a> \(<code>mqtt\.url<\/code>\): &quot;ftp:\/\/broker&quot; is not valid: expected a broker URL/,
  );
  t.match(
    res.body,
    /\(<code>privacy\.retentionDays\.calls<\/code>\): &quot;ninety&quot; is not valid: expected integer/,
  );
  t.match(res.body, /\(<code>relays\.pins\.hook<\/code>\): 99 is not valid: must be &lt;= 53/);
  t.match(
    res.body,
    /\(<code>line\.driver<\/code>\): &quot;isdn&quot; is not valid; expected one of: &quot;simulated&quot;, &quot;modem&quot;, &quot;soundcard&quot;/,
  );
  t.match(
    res.body,
    'id="f-mqtt-url" name="mqtt.url" value="ftp://broker" autocomplete="off" required aria-invalid="true"',
    'what was typed stays for correction',
  );
  t.notOk(existsSync(web.settingsFile), 'nothing written');
  const refused = new SqliteAuditLog(web.db)
    .entries({ limit: 10 })
    .find((e) => e.action === 'settings.save');
  t.equal(refused?.outcome, 'refused');
  t.same([...((refused?.detail.keys as string[]) ?? [])].sort(), [
    'line.driver',
    'mqtt.url',
    'privacy.retentionDays.calls',
    'relays.pins.hook',
  ]);

  // A rule across keys (config.yaml has no MQTT user): the password field is named.
  const semantic = await postForm(
    web.app,
    '/settings',
    { ...fields, 'mqtt.password': 'a password' },
    { cookie: sessionCookie(web.app) },
  );
  t.equal(semantic.statusCode, 400);
  t.match(
    semantic.body,
    /\(<code>mqtt\.password<\/code>\): a password is set but mqtt\.username is null/,
  );
  t.notMatch(semantic.body, 'value="a password"', 'a refused password is not echoed either');
  const es = await postForm(
    web.app,
    '/settings',
    { ...fields, 'mqtt.url': 'nope' },
    { cookie: `${sessionCookie(web.app)}; lang=es` },
  );
  t.match(es.body, 'No se ha guardado. Corrija estos campos:');
  t.match(es.body, 'URL del bróker</a> (<code>mqtt.url</code>)');
});

t.test(
  'a settings file that no longer loads is named by file and line, on the page and at load',
  async (t) => {
    const web = await makeSystemWeb(t);
    writeFileSync(web.settingsFile, 'mqtt:\n  url: gopher://x\nweb:\n  prot: 1\n');
    const error = (() => {
      try {
        loadConfig(web.configFile);
        return null;
      } catch (caught) {
        return caught;
      }
    })();
    t.type(error, ConfigInvalidError);
    const message = (error as Error).message;
    t.match(message, `${web.settingsFile}:2:3: mqtt.url: "gopher://x" is not valid`);
    t.match(
      message,
      `${web.settingsFile}:4:3: web.prot: unknown key "prot" (did you mean "port"?)`,
    );
    writeFileSync(web.settingsFile, 'dataDir: /elsewhere\n');
    t.throws(() => loadConfig(web.configFile), /settings\.yaml:1:1: dataDir: cannot be set here/);
    writeFileSync(web.settingsFile, '__proto__:\n  polluted: true\n');
    t.throws(() => loadConfig(web.configFile), /unknown key "__proto__"/);
    t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
    const page = await get(web.app, '/settings');
    t.equal(page.statusCode, 200);
    t.match(page.body, 'The saved settings cannot be read');
    t.equal(formFields(page.body)['line.driver'], 'simulated', 'the running values are shown');
  },
);

t.test(
  '/settings refuses staff, strangers, missing CSRF tokens, foreign origins and huge bodies',
  async (t) => {
    const web = await makeSystemWeb(t);
    const page = await get(web.app, '/settings');
    const fields = formFields(page.body);
    const cookie = sessionCookie(web.app);

    const anonymous = await anonGet(web.app, '/settings');
    t.equal(anonymous.statusCode, 303);
    t.equal(anonymous.headers.location, '/login');

    await addUser(web, 'front-desk', 'staff');
    const staff = await logIn(web.app, 'front-desk');
    t.equal((await get(web.app, '/settings', undefined, staff.cookie)).statusCode, 403);
    const staffPost = await postForm(
      web.app,
      '/settings',
      { ...fields, csrf: staff.csrf, 'line.country': 'uk' },
      { cookie: staff.cookie },
    );
    t.equal(staffPost.statusCode, 403);
    t.notMatch(
      (await get(web.app, '/', undefined, staff.cookie)).body,
      'href="/settings"',
      'no nav link for staff',
    );

    const noToken = await postForm(
      web.app,
      '/settings',
      { ...fields, csrf: '', 'line.country': 'uk' },
      { cookie },
    );
    t.equal(noToken.statusCode, 403);
    t.match(noToken.body, 'no CSRF token');
    const foreign = await postForm(
      web.app,
      '/settings',
      { ...fields, 'line.country': 'uk' },
      { cookie, origin: 'http://evil.example' },
    );
    t.equal(foreign.statusCode, 403);
    t.match(foreign.body, 'another site');
    const huge = await postForm(
      web.app,
      '/settings',
      { ...fields, 'mqtt.url': `mqtt://${'a'.repeat(70_000)}` },
      { cookie },
    );
    t.equal(huge.statusCode, 413);
    t.notOk(existsSync(web.settingsFile), 'none of the refused posts wrote anything');
    const actions = new SqliteAuditLog(web.db).entries({ limit: 20 }).map((e) => e.action);
    t.ok(actions.includes('web.forbidden'), 'the staff attempt is audited');
    t.ok(actions.includes('web.csrf'), 'the CSRF refusals are audited');
    t.equal(csrfOf(page.body), fields.csrf);
  },
);
