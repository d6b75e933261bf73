import t from 'tap';
import { base32Decode, totpCode, totpStep } from '../../src/web/auth/totp.js';
import { ADMIN, setUpThroughPage, setupCodeFrom } from '../helpers/admin-browser.js';
import { launchChromium } from '../helpers/chromium.js';
import { makeSandbox, runCli, startAppliance } from '../helpers/spawn-appliance.js';

t.setTimeout(240_000);
/** Waits for the page, it times nothing: generous for a loaded CI machine. */
const PAGE_WAIT_MS = 20_000;

/** The sum of the bars' counts in the calls-per-hour chart as the browser shows it now. */
function chartTotal(): number {
  return Array.from(document.querySelectorAll('#calls-chart rect[data-count]')).reduce(
    (sum, bar) => sum + Number(bar.getAttribute('data-count')),
    0,
  );
}

/** The same, as a condition to wait for (page functions must be self-contained). */
function chartTotalIs(n: number): boolean {
  return (
    Array.from(document.querySelectorAll('#calls-chart rect[data-count]')).reduce(
      (sum, bar) => sum + Number(bar.getAttribute('data-count')),
      0,
    ) === n
  );
}

/**
 * Issue 7 in real Chromium: the calls-per-hour chart fills in live when a call ends (no reload),
 * the dashboard in English, German and Spanish, then two-step login: enrol on /account by the
 * key shown (as an authenticator app would), log out, log in with password and a code computed
 * here, a wrong code refused on the way.
 */
t.test('live chart, dashboard in three languages, and two-step login in the browser', async (t) => {
  const sandbox = await makeSandbox(t);
  const appliance = await startAppliance(t, sandbox.configPath, { cwd: sandbox.dir });
  const base = appliance.url;
  const { page, errors } = await launchChromium(t);
  await setUpThroughPage(page, base, setupCodeFrom(appliance.stderr()), PAGE_WAIT_MS);
  await page.waitForSelector('#live.on', { timeout: PAGE_WAIT_MS });

  // --- the chart, live -------------------------------------------------------------------
  t.equal(await page.evaluate(chartTotal), 0, 'no calls yet');
  await page.evaluate(() => {
    (window as unknown as { notReloaded?: boolean }).notReloaded = true;
  });
  const sim = await runCli(
    ['--config', sandbox.configPath, 'simulate', '--flow', 'examples/clinic.yaml', '--dtmf', '0'],
    { timeoutMs: 60_000 },
  );
  t.equal(sim.code, 0, `simulate exits 0 (stderr: ${sim.stderr})`);
  await page.waitForFunction(chartTotalIs, 1, { timeout: PAGE_WAIT_MS });
  t.pass('the new call appears in the chart');
  t.equal(
    await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    true,
    'without a reload',
  );
  const hour = new Date().getHours();
  const bar = page.locator(`#calls-chart rect[data-hour="${hour}"]`);
  t.equal(await bar.getAttribute('data-count'), '1', 'in the bar of this hour');
  t.match(await bar.locator('title').textContent(), /^\d\d:00–\d\d:00: 1 call$/);

  // --- the dashboard in each language --------------------------------------------------------
  const headings = {
    en: 'Calls per hour today',
    de: 'Anrufe pro Stunde heute',
    es: 'Llamadas por hora hoy',
  };
  for (const [lang, heading] of Object.entries(headings)) {
    await page.goto(`${base}/?lang=${lang}`, { timeout: PAGE_WAIT_MS });
    await page.waitForSelector('#live.on', { timeout: PAGE_WAIT_MS });
    t.equal(await page.textContent('#chart-heading'), heading, `chart heading in ${lang}`);
    t.equal(await page.getAttribute('html', 'lang'), lang);
    t.equal(await page.evaluate(chartTotal), 1, `chart in ${lang}`);
    await page.screenshot({ path: `/tmp/linekeeper-dashboard-${lang}.png`, fullPage: true });
  }
  // A pushed row uses the page's words too: a second call while the Spanish page is open.
  const second = await runCli(
    ['--config', sandbox.configPath, 'simulate', '--flow', 'examples/clinic.yaml', '--dtmf', '0'],
    { timeoutMs: 60_000 },
  );
  t.equal(second.code, 0);
  await page.waitForFunction(chartTotalIs, 2, { timeout: PAGE_WAIT_MS });
  await page.waitForFunction(
    () => document.querySelectorAll('#calls tbody tr').length === 2,
    undefined,
    {
      timeout: PAGE_WAIT_MS,
    },
  );
  t.equal(
    await page.textContent('#calls tbody tr:first-child td.route'),
    'transferencia: reception',
    'live.js writes the route in Spanish',
  );
  t.equal(
    await page.getAttribute('#calls tbody tr:first-child td.route', 'data-route'),
    'transfer:reception',
  );
  await page.goto(`${base}/?lang=en`, { timeout: PAGE_WAIT_MS });

  // --- enrol ---------------------------------------------------------------------------------
  await page.click('#whoami a');
  await page.waitForURL(`${base}/account`, { timeout: PAGE_WAIT_MS });
  await Promise.all([
    page.waitForURL(`${base}/account`, { timeout: PAGE_WAIT_MS }),
    page.click('form[action="/account/totp/start"] button'),
  ]);
  t.ok(await page.isVisible('#totp-qr svg'), 'the QR code is shown');
  const key = (await page.textContent('#totp-secret')) ?? '';
  const secret = base32Decode(key);
  t.equal(secret.length, 20, 'the key as an app would take it');
  await page.screenshot({ path: '/tmp/linekeeper-account-en.png', fullPage: true });
  const enrolStep = totpStep(Date.now());
  await page.fill(
    'form[action="/account/totp/confirm"] input[name=code]',
    totpCode(secret, enrolStep),
  );
  await Promise.all([
    page.waitForURL(`${base}/account?saved=on`, { timeout: PAGE_WAIT_MS }),
    page.click('form[action="/account/totp/confirm"] button'),
  ]);
  t.equal(await page.getAttribute('#totp-state', 'data-state'), 'on', 'two-step login is on');
  t.equal(await page.locator('#totp-secret').count(), 0, 'the key is not shown again');

  // --- log out, log in with password and code ------------------------------------------------
  await Promise.all([page.waitForURL(`${base}/login`), page.click('form.logout button')]);
  errors.splice(0); // the open dashboard's refresh may meet the ended session (401)
  await page.fill('input[name=username]', ADMIN.username);
  await page.fill('input[name=password]', ADMIN.password);
  await Promise.all([
    page.waitForURL(`${base}/login/code`, { timeout: PAGE_WAIT_MS }),
    page.click('button[type=submit]'),
  ]);
  t.pass('the password leads to the code step');
  await page.fill('input[name=code]', '000000');
  await page.click('button[type=submit]');
  t.match(await page.textContent('#form-error'), /code is wrong/, 'a wrong code is refused');
  errors.splice(0); // the 401 of the refusal is expected
  await page.screenshot({ path: '/tmp/linekeeper-login-code-en.png', fullPage: true });
  // The enrolment code is spent; a newer step's code (one ahead is within the window) works.
  const code = totpCode(secret, Math.max(totpStep(Date.now()), enrolStep + 1));
  await page.fill('input[name=code]', code);
  await Promise.all([
    page.waitForURL(`${base}/`, { timeout: PAGE_WAIT_MS }),
    page.click('button[type=submit]'),
  ]);
  t.match(await page.textContent('#whoami'), `${ADMIN.username} (admin)`, 'signed in');

  await page.goto(`${base}/audit`, { timeout: PAGE_WAIT_MS });
  const audit = (await page.textContent('#audit tbody')) ?? '';
  t.match(audit, /auth\.totp\.confirm/, 'enrolment is audited');
  t.match(audit, /auth\.login\s*clinic-admin\s*refused/, 'the wrong code is audited');
  t.same(
    errors.filter((e) => /Content Security Policy|Refused to/.test(e)),
    [],
    'no CSP violation',
  );
  const fatal = errors.filter((e) => !/net::ERR_/.test(e));
  t.same(fatal, [], 'no script error or failed request in the console');
  t.comment(
    'screenshots: /tmp/linekeeper-dashboard-{en,de,es}.png, /tmp/linekeeper-account-en.png',
  );

  const exit = await appliance.stop('SIGTERM', 10_000);
  t.same(exit, { code: 0, signal: null });
});
