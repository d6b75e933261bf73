import { readFileSync } from 'node:fs';
import t from 'tap';
import { setUpThroughPage, setupCodeFrom } from '../helpers/admin-browser.js';
import { launchChromium } from '../helpers/chromium.js';
import { CLINIC_FLOW, makeSandbox, startAppliance } from '../helpers/spawn-appliance.js';

t.setTimeout(240_000);
/** Waits for the page; it times nothing. Generous for a loaded CI machine. */
const PAGE_WAIT_MS = 15_000;
/** A test call plays real-time prompts (the disclosure alone is ~10 s): wait for it, generously. */
const CALL_WAIT_MS = 90_000;
const SHOTS = '/tmp/linekeeper-flows';

const NEW_TEXT = 'On Saturdays we are open from nine to twelve as well.';

/**
 * Issue 7's "done when" for flows, in real Chromium against `linekeeper run`: the admin moves
 * the opening-hours option of the clinic menu from key 3 to key 7 with a new text, saves, places
 * a test call from the page, presses 7 on the on-screen keypad and reads the new text and the
 * route in the transcript. The call log stays empty; the save and the test call are audited.
 */
t.test('edit the menu, save, and hear the change in a browser test call', async (t) => {
  const sandbox = await makeSandbox(t);
  const appliance = await startAppliance(t, sandbox.configPath, { cwd: sandbox.dir });
  const base = appliance.url;
  const { page, errors } = await launchChromium(t);
  await setUpThroughPage(page, base, setupCodeFrom(appliance.stderr()), PAGE_WAIT_MS);

  await page.goto(`${base}/flows`, { timeout: PAGE_WAIT_MS });
  t.equal(await page.getAttribute('#flow-in-effect', 'data-source'), 'configured');
  t.equal(await page.locator('#flow-diagram g.node').count(), 9, 'the clinic menu tree is drawn');
  t.match(await page.textContent('#flow-diagram'), '3 · opening hours');

  const clinic = readFileSync(CLINIC_FLOW, 'utf8');
  const edited = clinic
    .replace('For our opening hours, press 3', 'For our opening hours, press 7')
    .replace(/dtmf: "3"(\s+speech: \[opening hours)/, 'dtmf: "7"$1')
    .replace(
      'We are open Monday to Friday, from eight in the morning to six in the evening.',
      `We are open Monday to Friday. ${NEW_TEXT}`,
    );
  t.not(edited, clinic, 'the edit applies to the bundled flow');
  await page.fill('#flow-text', edited);
  await Promise.all([
    page.waitForURL(`${base}/flows?done=saved`, { timeout: PAGE_WAIT_MS }),
    page.click('#flow-save'),
  ]);
  t.match(await page.textContent('#flow-notice'), 'Saved. The appliance loaded the new flow');
  t.equal(await page.getAttribute('#flow-in-effect', 'data-source'), 'edited');
  t.match(await page.textContent('#flow-diagram'), '7 · opening hours', 'the diagram shows key 7');

  await page.click('#test-call-start');
  await page.waitForFunction(
    () => document.getElementById('tc-stage')?.textContent === 'main-menu',
    undefined,
    { timeout: CALL_WAIT_MS },
  );
  t.equal(await page.textContent('#tc-state'), 'connected');
  t.match(await page.textContent('#transcript'), 'For our opening hours, press 7');
  await page.click('.keypad button[data-key="7"]');
  await page.waitForFunction(
    () => document.getElementById('test-call')?.dataset.state === 'ended',
    undefined,
    { timeout: CALL_WAIT_MS },
  );
  const transcript = (await page.textContent('#transcript')) ?? '';
  t.match(transcript, NEW_TEXT, 'the caller heard the changed text');
  t.match(transcript, /pressed\s*7/);
  t.match(await page.textContent('#tc-route'), /^info/, 'the call ended on the info route');
  t.equal(
    await page.locator('#transcript li.prompt').first().getAttribute('data-prompt'),
    'disclosure',
  );
  await page.screenshot({ path: `${SHOTS}-en.png`, fullPage: true });

  for (const lang of ['de', 'es'] as const) {
    await page.goto(`${base}/flows?lang=${lang}`, { timeout: PAGE_WAIT_MS });
    t.equal(await page.getAttribute('html', 'lang'), lang);
    t.equal(await page.locator('#flow-diagram g.node').count(), 9);
    await page.screenshot({ path: `${SHOTS}-${lang}.png`, fullPage: true });
  }
  await page.goto(`${base}/flows?lang=en`, { timeout: PAGE_WAIT_MS });

  await page.goto(`${base}/calls`, { timeout: PAGE_WAIT_MS });
  t.equal(
    await page.locator('#calls tbody tr[data-call-id]').count(),
    0,
    'no test call in the log',
  );
  await page.goto(`${base}/audit`, { timeout: PAGE_WAIT_MS });
  const audit = (await page.textContent('#audit tbody')) ?? '';
  t.match(audit, /web:clinic-admin\s*flows\.save/);
  t.match(audit, /web:clinic-admin\s*flows\.test-call/);

  const fatal = errors.filter((e) => !/net::ERR_/.test(e));
  t.same(fatal, [], 'no CSP violation, script error or failed request in the console');
  if (errors.length > fatal.length) t.comment(`other console messages: ${errors.join(' | ')}`);
  t.comment(`screenshots: ${SHOTS}-{en,de,es}.png`);
  t.same(await appliance.stop('SIGTERM', 10_000), { code: 0, signal: null });
});
