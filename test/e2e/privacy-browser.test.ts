import { readFileSync } from 'node:fs';
import t from 'tap';
import { setUpThroughPage, setupCodeFrom } from '../helpers/admin-browser.js';
import { launchChromium } from '../helpers/chromium.js';
import { makeSandbox, runCli, startAppliance } from '../helpers/spawn-appliance.js';

t.setTimeout(240_000);
/** Waits for the page, it times nothing: generous for a loaded CI machine. */
const PAGE_WAIT_MS = 20_000;
const LANGUAGES = ['en', 'de', 'es'] as const;
const PATIENT = '+49 30 555 0123';
const OTHER = '+49 30 555 0999';

/**
 * A data-subject request in real Chromium against the real appliance process: calls stored by
 * `linekeeper simulate`, the export downloaded as the CLI's JSON, an erasure refused until the
 * last digits are typed back, then done, and the page in three languages.
 */
t.test('privacy page: export and erase one number in the browser', async (t) => {
  const sandbox = await makeSandbox(t);
  for (const caller of [PATIENT, OTHER]) {
    const call = await runCli(
      ['--config', sandbox.configPath, 'simulate', '--caller', caller, '--dtmf', '3', '--json'],
      { cwd: sandbox.dir },
    );
    t.equal(call.code, 0, call.stderr);
  }
  const appliance = await startAppliance(t, sandbox.configPath, { cwd: sandbox.dir });
  const base = appliance.url;
  const { page, errors } = await launchChromium(t);
  await setUpThroughPage(page, base, setupCodeFrom(appliance.stderr()), PAGE_WAIT_MS);

  for (const lang of LANGUAGES) {
    await page.goto(`${base}/privacy?lang=${lang}`, { timeout: PAGE_WAIT_MS });
    t.equal(await page.getAttribute('html', 'lang'), lang);
    t.ok(await page.isVisible('#retention'), `${lang}: retention periods shown`);
    t.equal(await page.isVisible('#flood-alert'), false, `${lang}: no flood, no banner`);
    await page.screenshot({ path: `/tmp/linekeeper-privacy-${lang}.png`, fullPage: true });
  }
  await page.goto(`${base}/privacy?lang=en`, { timeout: PAGE_WAIT_MS });

  // Export straight from the first form: a JSON download, the same document the CLI prints.
  await page.fill('#number', '+49 (30) 555-0123');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: PAGE_WAIT_MS }),
    page.click('#export'),
  ]);
  t.match(download.suggestedFilename(), /^linekeeper-privacy-export-\d{4}-\d\d-\d\d-23\.json$/);
  const report = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  t.equal(report.request.number, '+49305550123');
  t.equal(report.request.by, 'web:clinic-admin');
  t.equal(report.data.calls.length, 1, 'the patient’s call only');
  const cli = await runCli(
    ['--config', sandbox.configPath, 'privacy', 'export', '--number', PATIENT],
    { cwd: sandbox.dir },
  );
  t.equal(cli.code, 0, cli.stderr);
  const fromCli = JSON.parse(cli.stdout);
  t.same(report.data.calls, fromCli.data.calls, 'the CLI finds the same rows');
  t.same(Object.keys(report), Object.keys(fromCli));

  // Review, a wrong confirmation, then the erasure.
  await page.fill('#number', PATIENT);
  await Promise.all([
    page.waitForURL(`${base}/privacy/review`, { timeout: PAGE_WAIT_MS }),
    page.click('#review'),
  ]);
  t.equal(await page.textContent('#found-counts tr[data-kind="calls"] td'), '1');
  await page.fill('#confirm', '9999');
  await page.click('#erase');
  await page.waitForSelector('#form-error', { timeout: PAGE_WAIT_MS });
  t.match(await page.textContent('#form-error'), 'nothing was erased');
  t.equal(await page.getAttribute('#confirm', 'aria-invalid'), 'true');
  const refused = errors.splice(0);
  t.same(
    refused.filter((e) => !/\b400\b/.test(e)),
    [],
    'the refusal (400) is the only error',
  );
  await page.screenshot({ path: '/tmp/linekeeper-privacy-review-en.png', fullPage: true });
  await page.fill('#confirm', '0123');
  await Promise.all([
    page.waitForURL(`${base}/privacy/erase`, { timeout: PAGE_WAIT_MS }),
    page.click('#erase'),
  ]);
  t.equal(await page.textContent('#erased-counts tr[data-kind="calls"] td'), '1');
  t.equal(
    await page.textContent('#erased-counts tr[data-kind="callEvents"] td'),
    String(report.data.callEvents.length),
    'as many call events as the export listed',
  );
  await page.screenshot({ path: '/tmp/linekeeper-privacy-erased-en.png', fullPage: true });

  const after = await runCli(
    ['--config', sandbox.configPath, 'privacy', 'export', '--number', PATIENT],
    { cwd: sandbox.dir },
  );
  const gone = JSON.parse(after.stdout);
  t.same(gone.data.calls, []);
  t.same(gone.data.callEvents, []);
  t.ok(
    gone.data.auditLog.every(
      (e: { actor: string; subject: string }) => e.subject === gone.request.callerHash,
    ),
  );
  t.notMatch(JSON.stringify(gone.data.auditLog), '5550123', 'the audit log never holds the number');
  const other = await runCli(
    ['--config', sandbox.configPath, 'privacy', 'export', '--number', OTHER],
    { cwd: sandbox.dir },
  );
  t.equal(JSON.parse(other.stdout).data.calls.length, 1, 'the other caller is untouched');

  await page.goto(`${base}/audit`, { timeout: PAGE_WAIT_MS });
  t.match(await page.textContent('#audit'), 'privacy.erase');
  t.same(errors, [], 'no console error, CSP violation or failed request');
});
