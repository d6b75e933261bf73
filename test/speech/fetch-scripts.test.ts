import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { REPO_ROOT } from './support/run-probe.js';

const FETCH_MODEL = join(REPO_ROOT, 'scripts/fetch-model');
const hasZip = spawnSync('zip', ['-v']).status === 0 && spawnSync('unzip', ['-v']).status === 0;

/** A fake model archive and a manifest pinning it, served from a file:// URL. */
function fixture(t: Test, tamper = false) {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-fetch-model-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const model = join(dir, 'src', 'vosk-model-test-0.1');
  mkdirSync(join(model, 'am'), { recursive: true });
  mkdirSync(join(model, 'conf'));
  writeFileSync(join(model, 'am', 'final.mdl'), 'weights');
  writeFileSync(join(model, 'conf', 'mfcc.conf'), '--sample-frequency=16000\n');
  const zip = join(dir, 'model.zip');
  spawnSync('zip', ['-qr', zip, 'vosk-model-test-0.1'], { cwd: join(dir, 'src') });
  const bytes = readFileSync(zip);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const manifest = join(dir, 'manifest.json');
  writeFileSync(
    manifest,
    JSON.stringify({
      models: [
        {
          id: 'test',
          name: 'vosk-model-test-0.1',
          url: `file://${zip}`,
          sha256: tamper ? sha256.replace(/^./, (c) => (c === '0' ? '1' : '0')) : sha256,
          archiveBytes: bytes.length,
        },
      ],
    }),
  );
  return { dir, zip, manifest, data: join(dir, 'data') };
}

const run = (args: string[]) => spawnSync('bash', [FETCH_MODEL, ...args], { encoding: 'utf8' });

t.test(
  'the manifest lists en, de and es with size, licence, URL and a sourced SHA-256',
  async (t) => {
    const m = JSON.parse(readFileSync(join(REPO_ROOT, 'models/manifest.json'), 'utf8'));
    for (const id of ['en', 'de', 'es']) {
      const e = m.models.find((x: { id: string }) => x.id === id);
      t.ok(e, id);
      t.match(e.sha256, /^[0-9a-f]{64}$/);
      t.type(e.sha256Source, 'string');
      t.ok(e.archiveBytes > 1_000_000);
      t.match(e.url, /^https:\/\//);
      t.type(e.license, 'string');
    }
    for (const arch of ['x86_64', 'aarch64', 'armv7l'])
      t.match(m.libvosk[arch].sha256, /^[0-9a-f]{64}$/);
  },
);

t.test(
  'fetch-model verifies and unpacks a model into the data dir',
  { skip: hasZip ? false : 'zip/unzip not installed' },
  async (t) => {
    const f = fixture(t);
    const r = run(['--manifest', f.manifest, '--data-dir', f.data, 'test']);
    t.equal(r.status, 0, r.stderr);
    const target = join(f.data, 'models', 'vosk-model-test-0.1');
    t.ok(existsSync(join(target, 'am', 'final.mdl')));
    t.ok(existsSync(join(target, '.linekeeper-model.json')));
    const again = run(['--manifest', f.manifest, '--data-dir', f.data, 'test']);
    t.match(again.stdout, /already installed/);
  },
);

t.test(
  'fetch-model refuses a checksum mismatch and installs nothing',
  { skip: hasZip ? false : 'zip/unzip not installed' },
  async (t) => {
    const f = fixture(t, true);
    const r = run(['--manifest', f.manifest, '--data-dir', f.data, 'test']);
    t.not(r.status, 0);
    t.match(r.stderr, /checksum mismatch/);
    t.notOk(existsSync(join(f.data, 'models', 'vosk-model-test-0.1')));
  },
);

t.test('fetch-model names the known models for an unknown id', async (t) => {
  const r = run(['klingon']);
  t.not(r.status, 0);
  t.match(r.stderr, /en \(vosk-model-small-en-us-0\.15\)/);
});
