import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseConfigText } from '../../src/config/load-config.js';
import type { Flow } from '../../src/ivr/flow-schema.js';
import { loadFlow } from '../../src/ivr/parse-flow.js';
import { createPromptLibrary } from '../../src/prompts/create-prompt-library.js';
import { SystemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { FlowFileStore, flowSpecInEffect } from '../../src/web/flows/flow-file-store.js';
import type { FlowsPageDeps } from '../../src/web/flows/flows-page-deps.js';
import { TestCalls } from '../../src/web/flows/test-calls.js';
import type { HasTeardown } from '../helpers/spawn-appliance.js';
import { makeWeb, ORIGIN, sessionCookie, type Web } from './web-fixtures.js';

/** A small flow whose prompts are short, so a test call takes a few seconds of real time. */
export const SHORT_FLOW = `version: 1
name: Test line
language: en
disclosure: Hello.
start: main
person: desk
nodes:
  main:
    type: menu
    prompt: Press 1 or say hours.
    timeoutSeconds: 20
    options:
      hours:
        dtmf: "1"
        speech: [hours, opening hours]
        next: hours-info
  hours-info:
    type: info
    topic: hours
    text: We open at eight.
    next: bye
  desk:
    type: transfer
    target: reception
    onNoAnswer: bye
  bye:
    type: hangup
    prompt: Bye.
`;

export interface FlowsWeb extends Web {
  dataDir: string;
  configuredFile: string;
  store: Web['store'];
  flowStore: FlowFileStore;
  testCalls: TestCalls;
  /** The flow the "appliance" runs, updated by every reload (as Appliance.reloadFlow does). */
  running: { flow: Flow; reloads: number };
}

/**
 * The web app with the /flows page, over a real data dir: the configured flow is a file of its
 * own, reload loads the flow in effect exactly as the appliance does (edited file first), and
 * test calls run the real session on simulated lines with the real espeak-ng prompt library.
 */
export async function makeFlowsWeb(
  t: HasTeardown,
  options: { speech?: boolean; audio?: boolean } = {},
): Promise<FlowsWeb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'linekeeper-flows-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const configuredFile = join(dataDir, 'configured.yaml');
  writeFileSync(configuredFile, SHORT_FLOW);
  const flowStore = new FlowFileStore({ configuredSpec: configuredFile, dataDir });
  const running = { flow: loadFlow(configuredFile).flow, reloads: 0 };
  const testCalls = new TestCalls({
    clock: new SystemClock(),
    logger: silentLogger(),
    emergencyNotice: null,
    maxCallMs: 120_000,
    // The appliance's own espeak-ng library and cache, in this data dir.
    promptAudio:
      options.audio === false
        ? null
        : createPromptLibrary(parseConfigText(`dataDir: ${dataDir}\n`, 'test config')),
    speech: options.speech ?? true,
  });
  const flows: FlowsPageDeps = {
    store: flowStore,
    forConfig: null,
    reload: async () => {
      running.flow = loadFlow(flowSpecInEffect(configuredFile, dataDir)).flow;
      running.reloads += 1;
      return `flow "${running.flow.name}" loaded`;
    },
    testCalls,
  };
  const web = await makeWeb(t, { flows });
  return { ...web, dataDir, configuredFile, flowStore, testCalls, running };
}

/** A JSON POST as flows.js sends it: same origin, the CSRF token in the body. */
export function postJson(
  app: FastifyInstance,
  url: string,
  body: Record<string, unknown>,
  options: { cookie?: string; origin?: string } = {},
) {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      host: '127.0.0.1:8080',
      origin: options.origin ?? ORIGIN,
      'content-type': 'application/json',
      cookie: options.cookie ?? sessionCookie(app),
    },
    payload: JSON.stringify(body),
  });
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
