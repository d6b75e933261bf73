import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../src/config/config-schema.js';
import { loadConfig, settingsFilePath } from '../../src/config/load-config.js';
import type { Flow } from '../../src/ivr/flow-schema.js';
import { loadFlow } from '../../src/ivr/parse-flow.js';
import {
  createPromptLibrary,
  uploadedRecordingsDir,
} from '../../src/prompts/create-prompt-library.js';
import { SettingsStore } from '../../src/web/settings/settings-store.js';
import type { SystemPagesDeps } from '../../src/web/settings/system-pages-deps.js';
import type { HasTeardown } from '../helpers/spawn-appliance.js';
import { REPO_ROOT } from '../helpers/spawn-appliance.js';
import { makeWeb, ORIGIN, type Web } from './web-fixtures.js';

export const MULTILINGUAL_FLOW = join(REPO_ROOT, 'examples/clinic-multilingual.yaml');
export const CLINIC_FLOW = join(REPO_ROOT, 'examples/clinic.yaml');

export interface SystemWeb extends Web {
  deps: SystemPagesDeps;
  configFile: string;
  dataDir: string;
  settingsFile: string;
  running: Config;
  /** One entry per restart the page asked for. */
  restarts: string[];
}

/**
 * The web app with the settings, system and prompts pages, over a real config file, a real
 * data dir and the real prompt library (espeak-ng and the cache on disk). The restart is a
 * recorder, so a test can press the button without ending the test runner.
 */
export async function makeSystemWeb(
  t: HasTeardown,
  options: { configYaml?: string; flowFile?: string; supervised?: boolean } = {},
): Promise<SystemWeb> {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-settings-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'var');
  // The appliance has made its data dir (database, device secret) before the page exists.
  mkdirSync(dataDir);
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, `dataDir: ${dataDir}\n${options.configYaml ?? ''}`);
  const running = loadConfig(configFile).config;
  const flow: Flow = loadFlow(options.flowFile ?? MULTILINGUAL_FLOW).flow;
  const restarts: string[] = [];
  const deps: SystemPagesDeps = {
    running,
    settings: new SettingsStore({ configFile, settingsFile: settingsFilePath(running) }),
    flow: () => flow,
    prompts: createPromptLibrary(running),
    recordingsDir: uploadedRecordingsDir(running),
    dataDir,
    startedAtMs: Date.now() - 3_723_000,
    mqtt: () => ({ state: 'degraded', detail: 'broker 127.0.0.1:1 refused the connection' }),
    tlsFingerprint: 'AB:CD:EF:01',
    restart: {
      supervised: options.supervised ?? true,
      request: () => restarts.push(new Date().toISOString()),
    },
  };
  const web = await makeWeb(t, { system: deps });
  return {
    ...web,
    deps,
    configFile,
    dataDir,
    settingsFile: settingsFilePath(running),
    running,
    restarts,
  };
}

/** The fields of the settings form as the page shows them (what a browser would send back). */
export function formFields(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const form = /<form method="post" action="\/settings"[\s\S]*?<\/form>/.exec(page)?.[0] ?? '';
  for (const m of form.matchAll(/<input ([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name) continue;
    const type = /type="([^"]+)"/.exec(attrs)?.[1] ?? 'text';
    if (type === 'checkbox') {
      if (/\bchecked\b/.test(attrs)) fields[name] = 'on';
      continue;
    }
    fields[name] = unescapeHtml(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
  }
  for (const m of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    fields[m[1]!] = /<option value="([^"]*)" selected>/.exec(m[2]!)?.[1] ?? '';
  }
  return fields;
}

function unescapeHtml(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** A recording uploaded as the /prompts page's script sends it: raw audio/wav, CSRF header. */
export function uploadRecording(
  app: FastifyInstance,
  url: string,
  payload: Uint8Array,
  options: { cookie: string; csrf: string; origin?: string; type?: string },
) {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      host: '127.0.0.1:8080',
      origin: options.origin ?? ORIGIN,
      cookie: options.cookie,
      'content-type': options.type ?? 'audio/wav',
      'x-csrf-token': options.csrf,
    },
    payload: Buffer.from(payload),
  });
}
