import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

/**
 * The domain (call sessions, IVR flows) must know nothing of serial ports, GPIO, HTTP, MQTT or
 * SQLite: it may import only ports, other domain files, shared utilities and pure libraries.
 */
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const DOMAIN_DIRS = ['call', 'ivr', 'guard'];
const ALLOWED_LOCAL = [
  /^call\//,
  /^ivr\//,
  /^guard\//,
  /^shared\//,
  /-port\.js$/,
  /^speech\/words\.js$/,
];
const ALLOWED_PACKAGES = new Set([
  'node:crypto',
  'node:events',
  'node:fs',
  'ajv',
  '@sinclair/typebox',
  'yaml',
]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

t.test('domain files import only ports, domain, shared code and pure libraries', async (t) => {
  const offenders: string[] = [];
  for (const dir of DOMAIN_DIRS) {
    // simulated/ holds scripted callers and scenarios that drive the domain: not domain itself.
    for (const file of files(join(SRC, dir)).filter((f) => !f.includes('/simulated/'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        const spec = match[1]!;
        if (spec.startsWith('.')) {
          const target = relative(SRC, resolve(file, '..', spec));
          if (!ALLOWED_LOCAL.some((re) => re.test(target)))
            offenders.push(`${relative(SRC, file)} -> ${target}`);
        } else if (!ALLOWED_PACKAGES.has(spec)) {
          offenders.push(`${relative(SRC, file)} -> package ${spec}`);
        }
      }
    }
  }
  t.same(offenders, [], 'imports that cross from the domain into adapters');
});

t.test('the checker notices a forbidden import (it can fail)', async (t) => {
  const target = relative(
    SRC,
    resolve(join(SRC, 'call', 'x.ts'), '..', '../storage/sqlite/sqlite-call-store.js'),
  );
  t.notOk(ALLOWED_LOCAL.some((re) => re.test(target)));
});
