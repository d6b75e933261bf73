import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { setUpThroughPage, setupCodeFrom } from '../helpers/admin-browser.js';
import { launchChromium } from '../helpers/chromium.js';
import { makeSandbox, REPO_ROOT, runCli, startAppliance } from '../helpers/spawn-appliance.js';

t.setTimeout(240_000);
/** Waits for the page, it times nothing: generous for a loaded CI machine. */
const PAGE_WAIT_MS = 20_000;
const LANGUAGES = ['en', 'de', 'es'] as const;
/** A real recording (Free Spoken Digit Dataset): 8 kHz mono 16-bit. */
const SPOKEN_ZERO = '/work/shared/data/fsdd-dev/0_jackson_0.wav';

/**
 * The admin's side of settings, system and prompts in real Chromium against the real
 * appliance process: change a GPIO pin and see it saved (and accepted by check-config), a bad
 * broker URL refused by name, a recording uploaded through prompts.js, every page in three
 * languages, and the restart button ending the process with the restart status.
 */
t.test('settings, system and prompts pages in the browser', async (t) => {
  const flow = join(REPO_ROOT, 'examples/clinic-multilingual.yaml');
  const sandbox = await makeSandbox(t, `call:\n  flow: ${flow}\n`);
  const appliance = await startAppliance(t, sandbox.configPath, { cwd: sandbox.dir });
  const base = appliance.url;
  const { page, errors } = await launchChromium(t);
  await setUpThroughPage(page, base, setupCodeFrom(appliance.stderr()), PAGE_WAIT_MS);

  await page.goto(`${base}/settings`, { timeout: PAGE_WAIT_MS });
  await page.fill('#f-relays-pins-hook', '22');
  await page.selectOption('#f-line-country', 'de');
  await Promise.all([
    page.waitForURL(`${base}/settings?saved=1`, { timeout: PAGE_WAIT_MS }),
    page.click('#settings-form button[type=submit]'),
  ]);
  t.match(await page.textContent('#saved'), 'Settings saved');
  t.match(await page.textContent('#pending'), /line\.country, relays\.pins\.hook/);
  t.equal(await page.inputValue('#f-relays-pins-hook'), '22', 'the saved value is shown');
  const settingsFile = join(sandbox.dataDir, 'settings.yaml');
  t.match(readFileSync(settingsFile, 'utf8'), /hook: 22/);
  const check = await runCli(['--config', sandbox.configPath, 'check-config']);
  t.equal(check.code, 0, check.stderr);
  t.match(check.stdout, `${settingsFile} (web page settings, merged over it): ok`);

  await page.fill('#f-mqtt-url', 'ftp://broker.lan');
  await page.click('#settings-form button[type=submit]');
  await page.waitForSelector('#form-error', { timeout: PAGE_WAIT_MS });
  t.match(await page.textContent('#form-error'), /mqtt\.url.*expected a broker URL/s);
  t.equal(await page.getAttribute('#f-mqtt-url', 'aria-invalid'), 'true');
  const refused = errors.splice(0);
  t.ok(refused.length > 0, 'the browser saw the 400');
  t.same(
    refused.filter((e) => !/\b400\b/.test(e)),
    [],
    'the refusal (400) is the only error',
  );

  await page.goto(`${base}/prompts`, { timeout: PAGE_WAIT_MS });
  const row = page.locator('tr[data-prompt="de/main-menu"]');
  await row.locator('input[type=file]').setInputFiles(SPOKEN_ZERO);
  await Promise.all([
    page.waitForURL(`${base}/prompts?done=uploaded`, { timeout: PAGE_WAIT_MS }),
    row.locator('form.upload button').click(),
  ]);
  t.match(await page.textContent('#notice'), 'Recording saved');
  t.ok(existsSync(join(sandbox.dataDir, 'recordings', 'de', 'main-menu.wav')), 'stored');
  t.equal(await row.locator('audio[src="/prompts/recording/de/main-menu"]').count(), 1);
  // Pressing play on a prompt: the browser fetches the espeak-ng rendering and plays it.
  const played = await page.evaluate(async () => {
    const results: string[] = [];
    for (const prompt of ['en/emergency-notice', 'es/main-menu']) {
      const audio = document.querySelector<HTMLAudioElement>(`tr[data-prompt="${prompt}"] audio`)!;
      results.push(
        await new Promise<string>((resolve) => {
          audio.addEventListener('playing', () => resolve(`${prompt} playing`), { once: true });
          audio.addEventListener('error', () => resolve(`${prompt}: ${audio.error?.message}`));
          audio.play().catch((error: unknown) => resolve(`${prompt}: ${String(error)}`));
        }),
      );
      audio.pause();
    }
    return results;
  });
  t.same(played, ['en/emergency-notice playing', 'es/main-menu playing']);

  for (const lang of LANGUAGES) {
    for (const name of ['settings', 'system', 'prompts']) {
      await page.goto(`${base}/${name}?lang=${lang}`, { timeout: PAGE_WAIT_MS });
      t.equal(await page.getAttribute('html', 'lang'), lang, `/${name} in ${lang}`);
      await page.screenshot({ path: `/tmp/linekeeper-${name}-${lang}.png`, fullPage: true });
    }
  }
  await page.goto(`${base}/system?lang=en`, { timeout: PAGE_WAIT_MS });
  t.match(await page.textContent('#sys-integrity'), 'passed');
  t.match(await page.textContent('#unsupervised'), 'not started by systemd');

  const fatal = errors.filter((e) => !/net::ERR_/.test(e));
  t.same(fatal, [], 'no CSP violation, script error or failed request');
  if (errors.length > fatal.length) t.comment(`other console messages: ${errors.join(' | ')}`);

  // The restart: the answer arrives, then the process stops cleanly with the restart status.
  await Promise.all([
    page.waitForSelector('#restarting', { timeout: PAGE_WAIT_MS }),
    page.click('#restart-form button[type=submit]'),
  ]);
  t.match(await page.textContent('#restarting'), 'will not start again by itself');
  const exit = await new Promise<number | null>((resolve) => {
    if (appliance.child.exitCode !== null) resolve(appliance.child.exitCode);
    else appliance.child.once('exit', (code) => resolve(code));
  });
  t.equal(exit, 75, 'exit status 75 (EX_TEMPFAIL): systemd starts it again');
  t.match(appliance.stderr(), 'restart requested on the web page');
  t.comment('screenshots: /tmp/linekeeper-{settings,system,prompts}-{en,de,es}.png');
});
