import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CallRecord } from '../../src/call/call-record.js';
import { NumberSealer } from '../../src/privacy/number-sealer.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { ApplianceStatus } from '../../src/status/status-sink-port.js';
import { SqliteCallStore } from '../../src/storage/sqlite/sqlite-call-store.js';
import { SqliteCallbackStore } from '../../src/storage/sqlite/sqlite-callback-store.js';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import { SqliteUserStore } from '../../src/storage/sqlite/sqlite-user-store.js';
import type { Role } from '../../src/storage/user-store-port.js';
import { hashSecret } from '../../src/web/auth/password-hash.js';
import type { FlowsPageDeps } from '../../src/web/flows/flows-page-deps.js';
import { LiveUpdates } from '../../src/web/live-updates.js';
import type { PrivacyPageDeps } from '../../src/web/routes/privacy-page.js';
import type { SystemPagesDeps } from '../../src/web/settings/system-pages-deps.js';
import { buildWebApp } from '../../src/web/web-app.js';
import type { HasTeardown } from '../helpers/spawn-appliance.js';

// The names the appliance allows (src/appliance/appliance.ts) for a page on 127.0.0.1.
export const ALLOWED_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
export const POLL_MS = 50;

export const STATUS: ApplianceStatus = {
  device: 'front-desk-box',
  version: '0.1.0',
  line: { kind: 'simulated', state: 'idle' },
  speech: { kind: 'simulated', state: 'ready' },
  relays: { kind: 'simulated', lineSelect: 'appliance' },
  currentCall: null,
  mode: 'day',
  frontDeskForced: false,
  callsToday: 7,
  updatedAt: new Date(0).toISOString(),
};

export function callRecord(overrides: Partial<CallRecord> = {}): CallRecord {
  const startedAt = overrides.startedAt ?? new Date();
  return {
    id: randomUUID(),
    startedAt,
    endedAt: new Date(startedAt.getTime() + 31_400),
    durationMs: 31_400,
    callerHash: 'hash-that-must-never-reach-the-browser',
    callerHint: '42',
    callerWithheld: null,
    route: 'transfer:reception',
    topic: null,
    callbackWindow: null,
    language: 'en',
    choices: [{ node: 'main-menu', option: 'person', via: 'dtmf', atMs: 12_000 }],
    endReason: 'transferred',
    flowName: 'Test clinic',
    lineKind: 'simulated',
    ...overrides,
  };
}

export interface Web {
  app: FastifyInstance;
  store: SqliteCallStore;
  live: LiveUpdates;
  file: string;
  db: SqliteDatabase;
  callbacks: SqliteCallbackStore;
  users: SqliteUserStore;
  /**
   * The app's clock (epoch ms); tests move it to expire sessions and lockouts. `stepped` is how
   * far the wall clock was stepped (NTP): moved by `now` but not by the monotonic clock.
   */
  clock: { now: number; stepped: number };
  /** Every setup code the app announced, newest last. */
  setupCodes: string[];
}

export const PASSWORD = 'correct horse battery staple';

/** Cookie of the session makeWeb signed in with, per app (so `get(app, url)` is signed in). */
const signedInCookies = new WeakMap<FastifyInstance, string>();

/**
 * The web app over a real SQLite file, wired as the appliance wires it. By default an admin
 * (`admin-test`) exists and `get(app, ...)` is signed in as them through the real /login form;
 * `{ signIn: false }` leaves the appliance fresh (no admin, setup code announced).
 */
export async function makeWeb(
  t: HasTeardown,
  options: {
    signIn?: boolean;
    secure?: boolean;
    flows?: FlowsPageDeps;
    system?: SystemPagesDeps;
    /** What /api/status and the banner show; STATUS unless given. */
    status?: () => ApplianceStatus;
    /** The device secret callback numbers are sealed with (tests that seed their own). */
    secret?: Buffer;
    /** The /privacy page, wired over the app's own database. */
    privacy?: (db: SqliteDatabase) => PrivacyPageDeps;
  } = {},
): Promise<Web> {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-web-'));
  const file = join(dir, 'linekeeper.db');
  const store = new SqliteCallStore(file);
  await store.start();
  const db = new SqliteDatabase(file);
  await db.start();
  const callbacks = new SqliteCallbackStore(
    db,
    new NumberSealer(options.secret ?? Buffer.alloc(32, 7)),
  );
  const users = new SqliteUserStore(db);
  const clock = { now: Date.now(), stepped: 0 };
  const setupCodes: string[] = [];
  const live = new LiveUpdates({
    logger: silentLogger(),
    changeToken: () => store.changeToken(),
    pollMs: POLL_MS,
  });
  const app = buildWebApp({
    store,
    status: options.status ?? (() => STATUS),
    live,
    logger: silentLogger(),
    allowedHosts: ALLOWED_HOSTS,
    admin: {
      db,
      callbacks,
      totpSealer: new NumberSealer(Buffer.alloc(32, 9), 'linekeeper web totp v1'),
      secure: options.secure ?? false,
      now: () => clock.now,
      monotonicNow: () => clock.now - clock.stepped,
      announceSetupCode: (code) => setupCodes.push(code),
    },
    ...(options.flows ? { flows: options.flows } : {}),
    ...(options.system ? { system: options.system } : {}),
    ...(options.privacy ? { privacy: options.privacy(db) } : {}),
  });
  t.teardown(async () => {
    live.stop();
    await app.close();
    await db.stop();
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  await app.ready();
  const web = { app, store, live, file, db, callbacks, users, clock, setupCodes };
  if (options.signIn !== false) {
    await addUser(web, 'admin-test', 'admin');
    signedInCookies.set(app, (await logIn(app, 'admin-test')).cookie);
  }
  // After the sign-in: its commits (session, audit) would otherwise read as a change of calls.
  live.start();
  return web;
}

export async function addUser(web: Web, username: string, role: Role): Promise<void> {
  web.users.create({
    username,
    role,
    passwordHash: await hashSecret(PASSWORD),
    nowMs: web.clock.now,
  });
}

/** `name=value` pairs of a response's Set-Cookie headers, ready for a Cookie header. */
export function cookiesOf(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  return list
    .map((c: string) => c.split(';')[0]!)
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

/** The CSRF token of the first form on an HTML page. */
export function csrfOf(body: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(body);
  if (!match) throw new Error(`no CSRF token on the page:\n${body.slice(0, 500)}`);
  return match[1]!;
}

export const ORIGIN = 'http://127.0.0.1:8080';

/** A form POST as a browser on the page would send it. */
export function postForm(
  app: FastifyInstance,
  url: string,
  fields: Record<string, string>,
  options: { cookie?: string; origin?: string | null; host?: string } = {},
) {
  const headers: Record<string, string> = {
    host: options.host ?? '127.0.0.1:8080',
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (options.origin !== null) headers.origin = options.origin ?? ORIGIN;
  if (options.cookie) headers.cookie = options.cookie;
  return app.inject({
    method: 'POST',
    url,
    headers,
    payload: new URLSearchParams(fields).toString(),
  });
}

/** Logs in through GET /login and POST /login; the session cookie and its CSRF token. */
export async function logIn(
  app: FastifyInstance,
  username: string,
  password = PASSWORD,
): Promise<{ cookie: string; csrf: string }> {
  const form = await anonGet(app, '/login');
  const res = await postForm(
    app,
    '/login',
    { csrf: csrfOf(form.body), username, password },
    { cookie: cookiesOf(form) },
  );
  if (res.statusCode !== 303) throw new Error(`login as ${username} failed: ${res.statusCode}`);
  const cookie = cookiesOf(res);
  const page = await get(app, '/', '127.0.0.1:8080', cookie);
  return { cookie, csrf: csrfOf(page.body) };
}

export function sessionCookie(app: FastifyInstance): string {
  return signedInCookies.get(app) ?? '';
}

export function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no complete answer to ${what} within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** GET as the user makeWeb signed in (or with `cookie`). */
export function get(
  app: FastifyInstance,
  url: string,
  host = '127.0.0.1:8080',
  cookie = sessionCookie(app),
) {
  return app.inject({ method: 'GET', url, headers: cookie ? { host, cookie } : { host } });
}

/** GET without any session. */
export function anonGet(app: FastifyInstance, url: string, cookie?: string) {
  return app.inject({
    method: 'GET',
    url,
    headers: cookie ? { host: '127.0.0.1:8080', cookie } : { host: '127.0.0.1:8080' },
  });
}

/** What is missing or unsafe in a response's security headers; empty when all is well. */
export function securityHeaderProblems(headers: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const csp = String(headers['content-security-policy'] ?? '');
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map((parts) => [parts[0]!, parts.slice(1).join(' ')]),
  );
  const expect = (name: string, actual: unknown, wanted: string) => {
    if (actual !== wanted) problems.push(`${name} is ${JSON.stringify(actual)}, want ${wanted}`);
  };
  expect('CSP default-src', directives.get('default-src'), "'none'");
  expect('CSP script-src', directives.get('script-src'), "'self'");
  expect('CSP frame-ancestors', directives.get('frame-ancestors'), "'none'");
  if (/unsafe-inline|unsafe-eval|\*/.test(csp)) problems.push(`CSP allows unsafe sources: ${csp}`);
  expect('x-content-type-options', headers['x-content-type-options'], 'nosniff');
  expect('x-frame-options', headers['x-frame-options'], 'DENY');
  expect('referrer-policy', headers['referrer-policy'], 'same-origin');
  return problems;
}
