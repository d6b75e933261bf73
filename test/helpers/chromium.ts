import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { HasTeardown } from './spawn-appliance.js';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

/** Flags that keep Debian's Chromium quiet and offline in a container (see conventions.md). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /**
   * Messages the page logged as errors, uncaught exceptions (CSP violations land here) and
   * responses with an error status.
   */
  errors: string[];
}

/**
 * Real headless Chromium with a fresh profile (its own --user-data-dir), closed and removed at
 * teardown. playwright-core's `headless: true` adds --headless.
 */
export async function launchChromium(
  t: HasTeardown,
  options: { timezoneId?: string } = {},
): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_BIN`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'linekeeper-chromium-'));
  const removeProfile = () => rmSync(profile, { recursive: true, force: true });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1100, height: 700 },
      ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
      timeout: 30_000,
    });
  } catch (error) {
    removeProfile();
    throw error;
  }
  // The profile goes only after the browser has let go of it.
  t.teardown(async () => {
    await context.close();
    removeProfile();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  // Chromium's console message for a failed load leaves out the URL; this names it.
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  return { context, page, errors };
}
