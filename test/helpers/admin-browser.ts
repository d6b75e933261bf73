import type { Page } from 'playwright-core';

export const ADMIN = { username: 'clinic-admin', password: 'a long enough passphrase 42' };

/** The one-time code `linekeeper run` logs (JSON lines on stderr) while no admin exists. */
export function setupCodeFrom(stderr: string): string {
  const match = /"setupCode":"([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})"/.exec(stderr);
  if (!match) throw new Error(`no setup code in the appliance's log:\n${stderr.slice(-2000)}`);
  return match[1]!;
}

/** First-run setup through the page, as a new admin would do it; ends on the dashboard. */
export async function setUpThroughPage(
  page: Page,
  baseUrl: string,
  code: string,
  timeout: number,
): Promise<void> {
  await page.goto(`${baseUrl}/setup`, { timeout });
  await page.fill('input[name=code]', code);
  await page.fill('input[name=username]', ADMIN.username);
  await page.fill('input[name=password]', ADMIN.password);
  await page.fill('input[name=password2]', ADMIN.password);
  await Promise.all([
    page.waitForURL(`${baseUrl}/`, { timeout }),
    page.click('button[type=submit]'),
  ]);
}

export async function logInThroughPage(
  page: Page,
  baseUrl: string,
  timeout: number,
): Promise<void> {
  await page.goto(`${baseUrl}/login`, { timeout });
  await page.fill('input[name=username]', ADMIN.username);
  await page.fill('input[name=password]', ADMIN.password);
  await Promise.all([
    page.waitForURL(`${baseUrl}/`, { timeout }),
    page.click('button[type=submit]'),
  ]);
}
