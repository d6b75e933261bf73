import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CallRecord } from '../../src/call/call-record.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { ApplianceStatus } from '../../src/status/status-sink-port.js';
import { SqliteCallStore } from '../../src/storage/sqlite/sqlite-call-store.js';
import { LiveUpdates } from '../../src/web/live-updates.js';
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
}

/** The web app over a real SQLite file, wired as the appliance wires it. */
export async function makeWeb(t: HasTeardown): Promise<Web> {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-web-'));
  const file = join(dir, 'linekeeper.db');
  const store = new SqliteCallStore(file);
  await store.start();
  const live = new LiveUpdates({
    logger: silentLogger(),
    changeToken: () => store.changeToken(),
    pollMs: POLL_MS,
  });
  live.start();
  const app = buildWebApp({
    store,
    status: () => STATUS,
    live,
    logger: silentLogger(),
    allowedHosts: ALLOWED_HOSTS,
  });
  t.teardown(async () => {
    live.stop();
    await app.close();
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { app, store, live, file };
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

export function get(app: FastifyInstance, url: string, host = '127.0.0.1:8080') {
  return app.inject({ method: 'GET', url, headers: { host } });
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
  expect('referrer-policy', headers['referrer-policy'], 'no-referrer');
  return problems;
}
