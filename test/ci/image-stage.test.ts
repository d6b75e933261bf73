import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import t from 'tap';
import { hasCommand, REPO_ROOT, runCommand } from './run-command.js';

/**
 * The pi-gen stage in image/stage-linekeeper and scripts/build-image.sh, without building an
 * image (that needs pi-gen, root and an hour): the layout pi-gen's build.sh expects, shellcheck
 * on every script, and the wrapper's --dry-run.
 */
const STAGE = join(REPO_ROOT, 'image/stage-linekeeper');
const WRAPPER = join(REPO_ROOT, 'scripts/build-image.sh');
const isExecutable = (path: string) => (statSync(path).mode & 0o111) !== 0;

function subStages(): string[] {
  return readdirSync(STAGE, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function stageScripts(): string[] {
  const found: string[] = [join(STAGE, 'prerun.sh')];
  for (const sub of subStages()) {
    for (const name of readdirSync(join(STAGE, sub))) {
      if (/^\d\d-run(-chroot)?\.sh$/.test(name)) found.push(join(STAGE, sub, name));
    }
    const files = join(STAGE, sub, 'files');
    if (existsSync(files)) {
      for (const name of readdirSync(files)) {
        const path = join(files, name);
        if (readFileSync(path, 'utf8').startsWith('#!/usr/bin/env bash')) found.push(path);
      }
    }
  }
  return found;
}

t.test('the stage has the layout pi-gen runs', async (t) => {
  const prerun = join(STAGE, 'prerun.sh');
  t.ok(isExecutable(prerun), 'prerun.sh is executable (build.sh runs it only then)');
  t.match(
    readFileSync(prerun, 'utf8'),
    /copy_previous/,
    'and starts from stage2’s root file system',
  );
  t.match(
    readFileSync(join(STAGE, 'EXPORT_IMAGE'), 'utf8'),
    /^IMG_SUFFIX="-linekeeper"$/m,
    'EXPORT_IMAGE makes pi-gen export an image of this stage',
  );
  const subs = subStages();
  t.ok(subs.length >= 3);
  for (const sub of subs) {
    t.match(sub, /^\d\d-[a-z0-9-]+$/, `${sub}: sub-stages are NN-name, run in order`);
    const entries = readdirSync(join(STAGE, sub)).filter((n) => n !== 'files');
    for (const name of entries) {
      t.match(
        name,
        /^\d\d-(run\.sh|run-chroot\.sh|packages|packages-nr|debconf)$/,
        `${sub}/${name} is a file pi-gen knows`,
      );
      const path = join(STAGE, sub, name);
      if (name.endsWith('-run.sh')) {
        t.ok(isExecutable(path), `${sub}/${name} is executable (else build.sh skips it silently)`);
      }
      if (name.endsWith('.sh')) {
        t.match(
          readFileSync(path, 'utf8'),
          /^#!\/bin\/bash -e\n/,
          `${sub}/${name} stops on errors`,
        );
      }
      if (name.endsWith('packages')) {
        for (const word of readFileSync(path, 'utf8').split(/\s+/).filter(Boolean)) {
          t.match(word, /^[a-z0-9][a-z0-9+.-]+$/, `${sub}/${name}: ${word} is a package name`);
        }
      }
    }
  }
  const install = readFileSync(join(STAGE, '00-install-linekeeper/02-run-chroot.sh'), 'utf8');
  t.match(
    install,
    /\/tmp\/linekeeper-bundle\/scripts\/install\.sh --bundle \/tmp\/linekeeper-bundle --no-start/,
    'the app is installed by scripts/install.sh itself, not a copy of it',
  );
  t.match(
    readFileSync(join(STAGE, '01-journald/files/10-linekeeper.conf'), 'utf8'),
    /^Storage=volatile$/m,
    'logs stay in RAM',
  );
});

const skipShellcheck = hasCommand('shellcheck')
  ? false
  : process.env.CI
    ? false
    : 'shellcheck is not installed (apt-get install shellcheck)';

t.test(
  'every stage script and the wrapper are shellcheck-clean',
  { skip: skipShellcheck },
  async (t) => {
    const scripts = [...stageScripts(), WRAPPER];
    t.ok(
      scripts.some((s) => s.endsWith('linekeeper-read-only-root')),
      'helpers in files/ too',
    );
    const result = await runCommand('shellcheck', [
      '-x',
      '--format=gcc',
      '--severity=style',
      ...scripts,
    ]);
    t.equal(
      result.stdout,
      '',
      `no findings in: ${scripts.map((s) => relative(REPO_ROOT, s)).join(', ')}`,
    );
    t.equal(result.code, 0, result.stderr);
  },
);

/** A release tarball as make-release.sh lays it out, with just its release.json. */
function fakeRelease(dir: string, arch: string): string {
  const top = join(dir, `src-${arch}/linekeeper-1.0.0`);
  mkdirSync(top, { recursive: true });
  writeFileSync(
    join(top, 'release.json'),
    JSON.stringify(
      { name: 'linekeeper', version: '1.0.0', arch, nodeAbi: '115', builtAt: 'now' },
      null,
      2,
    ),
  );
  return join(dir, `linekeeper-1.0.0-${arch}.tar.gz`);
}

t.test('build-image.sh --dry-run prints the pi-gen config and changes nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-image-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const work = join(dir, 'work');
  const run = await runCommand('bash', [
    WRAPPER,
    '--dry-run',
    '--work',
    work,
    '--read-only-root',
    '--hostname',
    'praxis-nord',
  ]);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /^RELEASE=bookworm$/m);
  t.match(
    run.stdout,
    /^STAGE_LIST="stage0 stage1 stage2 stage-linekeeper"$/m,
    'Lite plus our stage',
  );
  t.match(run.stdout, /^TARGET_HOSTNAME=praxis-nord$/m);
  t.match(run.stdout, /^ENABLE_SSH=0$/m);
  t.notMatch(run.stdout, /FIRST_USER_PASS=/, 'no password: the first user stays locked');
  t.match(run.stdout, /^export LINEKEEPER_READ_ONLY_ROOT=1$/m);
  t.match(
    run.stdout,
    /git clone --branch \d{4}-\d\d-\d\d-raspios-bookworm-arm64 --depth 1 /,
    'pi-gen at a pinned tag',
  );
  t.notOk(existsSync(work), 'nothing was created');

  const bad = await runCommand('bash', [WRAPPER, '--dry-run', '--hostname', 'Praxis Nord']);
  t.equal(bad.code, 1);
  t.match(bad.stderr, /not a valid host name/);
});

t.test('build-image.sh takes only an arm64 release', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-image-release-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const arch of ['x64', 'arm64']) {
    const file = fakeRelease(dir, arch);
    const packed = await runCommand('tar', [
      '-czf',
      file,
      '-C',
      join(dir, `src-${arch}`),
      'linekeeper-1.0.0',
    ]);
    t.equal(packed.code, 0, packed.stderr);
  }
  const x64 = await runCommand('bash', [
    WRAPPER,
    '--dry-run',
    '--release',
    join(dir, 'linekeeper-1.0.0-x64.tar.gz'),
  ]);
  t.equal(x64.code, 1);
  t.match(x64.stderr, /not an arm64 release: make it on a Raspberry Pi or another arm64 machine/);
  const arm64 = join(dir, 'linekeeper-1.0.0-arm64.tar.gz');
  const ok = await runCommand('bash', [WRAPPER, '--dry-run', '--release', arm64]);
  t.equal(ok.code, 0, ok.stderr);
  t.match(ok.stdout, `copy ${arm64} to `);
  writeFileSync(`${arm64}.sha256`, `${'0'.repeat(64)}  linekeeper-1.0.0-arm64.tar.gz\n`);
  const damaged = await runCommand('bash', [WRAPPER, '--dry-run', '--release', arm64]);
  t.equal(damaged.code, 1);
  t.match(damaged.stderr, /does not match its \.sha256/);
  const missing = await runCommand('bash', [WRAPPER]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /--release FILE is required/);
});
