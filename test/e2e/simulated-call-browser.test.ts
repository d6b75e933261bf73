import { randomUUID } from 'node:crypto';
import t from 'tap';
import { SqliteCallStore } from '../../src/storage/sqlite/sqlite-call-store.js';
import { setUpThroughPage, setupCodeFrom } from '../helpers/admin-browser.js';
import { launchChromium } from '../helpers/chromium.js';
import { makeSandbox, runCli, startAppliance } from '../helpers/spawn-appliance.js';

// Appliance, Chromium and simulate: ~10 s at low load, up to 43 s measured at load ~10-18.
// Bounded all the same; tap's default file timeout (120 s) left too little margin.
t.setTimeout(180_000);

const SCREENSHOT = '/tmp/linekeeper-dashboard.png';
/** Not UTC, and a half-hour offset: a page that shows UTC or drops the minutes is caught. */
const CLINIC_TZ = 'Asia/Kolkata';
const wallClock = new Intl.DateTimeFormat('sv-SE', {
  timeZone: CLINIC_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
/**
 * Bound for waiting on the page. Events arrive in well under a second when all is well; the
 * margin is for a loaded CI machine. This waits for an event, it does not time anything.
 */
const PAGE_WAIT_MS = 15_000;

/**
 * The "done when" of issue 2, as a new user would do it: `linekeeper run`, open the page,
 * `linekeeper simulate --flow examples/clinic.yaml --dtmf 0 --json` in another process on the
 * same dataDir, and the call shows up on the open page without a reload.
 */
t.test('a simulated call shows up live on the open dashboard', async (t) => {
  const sandbox = await makeSandbox(t);
  // The appliance and the browser sit in the clinic, on the clinic's clock.
  const appliance = await startAppliance(t, sandbox.configPath, {
    cwd: sandbox.dir,
    env: { TZ: CLINIC_TZ },
  });
  t.equal(appliance.url, `http://127.0.0.1:${sandbox.port}`, 'run prints where the page is');

  const { page, errors } = await launchChromium(t, { timezoneId: CLINIC_TZ });
  // The page is behind a login now: a fresh appliance sends the browser to first-run setup.
  const first = await page.goto(`${appliance.url}/`, { timeout: PAGE_WAIT_MS });
  t.equal(first?.url(), `${appliance.url}/setup`, 'a fresh appliance asks for setup first');
  await setUpThroughPage(page, appliance.url, setupCodeFrom(appliance.stderr()), PAGE_WAIT_MS);
  const documentRequests: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'document') documentRequests.push(request.url());
  });
  const response = await page.goto(`${appliance.url}/`, { timeout: PAGE_WAIT_MS });
  t.equal(response?.status(), 200);
  t.equal(await page.title(), 'linekeeper · linekeeper');

  t.equal(await page.textContent('#line-state'), 'idle', 'line state shown');
  t.equal(await page.textContent('#line-kind'), 'simulated');
  t.equal(await page.textContent('#line-select'), 'appliance answers');
  t.equal(await page.textContent('#current-call'), 'none');
  t.equal(await page.textContent('#calls-today'), '0');
  t.ok(await page.isVisible('#no-calls'), '"No calls yet" is visible');
  t.equal((await page.textContent('#no-calls'))?.trim(), 'No calls yet.');
  t.equal(await page.locator('#calls tbody tr').count(), 0);

  // The live stream must be open before the call, or a later refresh could hide a broken push.
  await page.waitForSelector('#live.on', { timeout: PAGE_WAIT_MS });
  // Anything a reload would wipe out: if this survives, the page was updated in place.
  await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });

  // Like a user in a second terminal: from the repo, a relative flow path, the same config.
  const sim = await runCli(
    [
      '--config',
      sandbox.configPath,
      'simulate',
      '--flow',
      'examples/clinic.yaml',
      '--dtmf',
      '0',
      '--json',
    ],
    { timeoutMs: 60_000 },
  );
  t.equal(sim.code, 0, `simulate exits 0 (stderr: ${sim.stderr})`);
  const result = JSON.parse(sim.stdout) as { callId: string; route: string; saved: boolean };
  t.equal(result.route, 'transfer:reception', 'the call is routed to reception');
  t.equal(result.saved, true, 'and saved');

  const row = page.locator(`#calls tbody tr[data-call-id="${result.callId}"]`);
  await row.waitFor({ state: 'attached', timeout: PAGE_WAIT_MS });
  t.equal(await row.locator('td.route').getAttribute('data-route'), 'transfer:reception');
  t.equal(
    await row.locator('td.route').textContent(),
    'transfer: reception',
    'row shows the route',
  );
  t.match(await row.textContent(), /withheld.*main-menu: person \(dtmf\).*transferred/);
  const startedAt = await row.locator('time').getAttribute('datetime');
  const liveTime = await row.locator('time').textContent();
  t.equal(
    liveTime,
    wallClock.format(new Date(startedAt ?? NaN)),
    `time on the clinic clock (${startedAt} UTC)`,
  );
  await page.waitForFunction(
    () => document.getElementById('calls-today')?.textContent === '1',
    undefined,
    {
      timeout: PAGE_WAIT_MS,
      polling: 100,
    },
  );
  t.pass('"Calls today" went from 0 to 1');
  t.notOk(await page.isVisible('#no-calls'), '"No calls yet" is hidden');
  t.equal(await page.locator('#calls tbody tr').count(), 1);
  t.equal(
    await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    true,
    'the page was not reloaded',
  );
  t.same(documentRequests, [`${appliance.url}/`], 'the page document was fetched once');

  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  t.comment(`screenshot: ${SCREENSHOT}`);

  // Values pushed live go in with textContent: markup from a call record stays text.
  const store = new SqliteCallStore(sandbox.database);
  await store.start();
  t.teardown(() => store.stop());
  const evilRoute = '<img src=x onerror="window.pwned=1">';
  const evilId = randomUUID();
  const now = new Date();
  await store.saveCall({
    id: evilId,
    startedAt: now,
    endedAt: now,
    durationMs: 0,
    callerHash: null,
    callerHint: null,
    callerWithheld: 'unavailable',
    route: evilRoute,
    topic: null,
    callbackWindow: null,
    language: 'en',
    choices: [],
    endReason: 'caller-hangup',
    flowName: 'test',
    lineKind: 'simulated',
  });
  const evilRow = page.locator(`#calls tbody tr[data-call-id="${evilId}"]`);
  await evilRow.waitFor({ state: 'attached', timeout: PAGE_WAIT_MS });
  t.equal(await evilRow.locator('td.route').textContent(), evilRoute, 'shown as text');
  t.equal(await page.locator('#calls img').count(), 0, 'no element was made from it');
  t.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);

  // CSP violations and script errors fail the test; a resource a loaded machine dropped (an
  // aborted fetch, a reconnecting event stream) is only reported.
  const fatal = errors.filter((e) => !/net::ERR_/.test(e));
  t.same(fatal, [], 'no CSP violation or script error in the console');
  t.same(
    errors.filter((e) => /Content Security Policy|Refused to/.test(e)),
    [],
    'no CSP violation',
  );
  if (errors.length > fatal.length) t.comment(`other console messages: ${errors.join(' | ')}`);

  // A fresh load renders on the server: the same row must read the same.
  await page.reload({ timeout: PAGE_WAIT_MS });
  t.equal(
    await row.locator('time').textContent(),
    liveTime,
    'server and live.js agree on the time',
  );
  t.equal(await row.locator('td.route').textContent(), 'transfer: reception');

  const exit = await appliance.stop('SIGTERM', 10_000);
  t.same(exit, { code: 0, signal: null }, 'SIGTERM stops the appliance with exit code 0');
  t.match(appliance.stderr(), /linekeeper stopped/);
  t.notMatch(appliance.stderr(), /\(node:\d+\)|FSTDEP/, 'no Node or fastify warnings for the user');
  await page.waitForSelector('#live:not(.on)', { timeout: PAGE_WAIT_MS });
  t.pass('the page shows that live updates stopped');
});
