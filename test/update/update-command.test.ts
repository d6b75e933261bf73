import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { registerUpdateCommand } from '../../src/cli/commands/update-command.js';
import { updateFromTarball } from '../../src/update/install-release.js';
import type { ServiceControl } from '../../src/update/service-control.js';
import { childEnv, REPO_ROOT, runCommand } from '../ci/run-command.js';
import { runCommandInProcess } from '../helpers/cli-in-process.js';

/**
 * `linekeeper update` with real tarballs made by scripts/make-release.sh (two versions of this
 * checkout), installed under a temporary root. Each release's own check-config and --version
 * run from the installed tree, through the /opt/linekeeper/dist compatibility link.
 */
t.setTimeout(900_000);

const skip = existsSync(join(REPO_ROOT, 'dist/cli/main.js'))
  ? false
  : 'dist/ is not built (npm test builds it)';

const V1 = '9.0.0-test.1';
const V2 = '9.0.0-test.2';
let releases = '';
const tarball = (v: string) => join(releases, `linekeeper-${v}-${process.arch}.tar.gz`);

t.before(async () => {
  if (skip) return;
  releases = mkdtempSync(join(tmpdir(), 'lk-releases-'));
  for (const version of [V1, V2]) {
    const made = await runCommand(
      'bash',
      ['scripts/make-release.sh', '--skip-build', '--version', version, '--out', releases],
      { timeoutMs: 240_000 },
    );
    if (made.code !== 0) throw new Error(`make-release.sh failed: ${made.stderr}`);
    if (made.stdout.trim() !== tarball(version))
      throw new Error(`unexpected output ${made.stdout}`);
  }
});
t.teardown(() => {
  if (releases) rmSync(releases, { recursive: true, force: true });
});

function box(t: Test) {
  const root = mkdtempSync(join(tmpdir(), 'lk-update-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'etc/linekeeper'), { recursive: true });
  const config = join(root, 'etc/linekeeper/config.yaml');
  writeFileSync(config, `version: 1\ndataDir: ${join(root, 'var/lib/linekeeper')}\n`);
  const app = (p = '') => join(root, 'opt/linekeeper', p);
  return { root, config, app };
}

async function update(root: string, ...args: string[]) {
  return runCommandInProcess(registerUpdateCommand, [
    'update',
    '--root',
    root,
    '--no-restart',
    ...args,
  ]);
}

/** What the unit's ExecStart path runs: the version printed by /opt/linekeeper/dist/cli/main.js. */
function runningVersion(app: (p?: string) => string): string {
  const result = spawnSync(process.execPath, [app('dist/cli/main.js'), '--version'], {
    encoding: 'utf8',
    env: childEnv(),
  });
  return result.stdout.trim() || result.stderr;
}

t.test('install, update, refuse the same version, roll back', { skip }, async (t) => {
  const { root, app } = box(t);
  const first = await update(root, tarball(V1));
  t.equal(first.code, 0, first.text);
  t.match(first.text, /checksum ok \(SHA-256 [0-9a-f]{64}/);
  t.equal(readlinkSync(app('current')), `releases/${V1}`);
  t.equal(readlinkSync(app('dist')), 'current/dist', 'the unit path goes through current');
  t.equal(runningVersion(app), V1, 'the unit ExecStart path runs the new release');

  const second = await update(root, tarball(V2));
  t.equal(second.code, 0, second.text);
  t.equal(readlinkSync(app('current')), `releases/${V2}`);
  t.equal(readlinkSync(app('previous')), `releases/${V1}`);
  t.match(second.text, `previous release kept for a rollback: ${V1}`);
  t.equal(runningVersion(app), V2);

  const same = await update(root, tarball(V2));
  t.equal(same.code, 1);
  t.match(same.text, `${V2} is already the running release`);
  t.same(readdirSync(app('releases')).sort(), [V1, V2], 'no staging left behind');

  const back = await update(root, '--rollback');
  t.equal(back.code, 0, back.text);
  t.match(back.text, `rolled back from ${V2} to ${V1}`);
  t.equal(runningVersion(app), V1);
  t.equal(
    readlinkSync(app('previous')),
    `releases/${V2}`,
    'and forward again is one more rollback',
  );

  // V2 again while it is the previous release: a fresh copy; only two releases are kept.
  const third = await update(root, tarball(V2));
  t.equal(third.code, 0, third.text);
  t.match(third.text, `removed older releases: ${V2}`);
  t.same(readdirSync(app('releases')).sort(), [V1, `${V2}+2`]);
  t.equal(readlinkSync(app('current')), `releases/${V2}+2`);
  t.equal(readlinkSync(app('previous')), `releases/${V1}`);
  t.equal(runningVersion(app), V2);
});

t.test('a damaged copy is refused before anything changes', { skip }, async (t) => {
  const { root, app } = box(t);
  await update(root, tarball(V1));
  const copy = mkdtempSync(join(tmpdir(), 'lk-copy-'));
  t.teardown(() => rmSync(copy, { recursive: true, force: true }));
  const file = join(copy, `linekeeper-${V2}-${process.arch}.tar.gz`);
  cpSync(tarball(V2), file);
  writeFileSync(`${file}.sha256`, `${'0'.repeat(64)}  linekeeper-${V2}-${process.arch}.tar.gz\n`);
  const run = await update(root, file);
  t.equal(run.code, 1);
  t.match(run.text, /does not match .*\.sha256 .*the copy is damaged/);
  t.equal(readlinkSync(app('current')), `releases/${V1}`);
  t.same(readdirSync(app('releases')), [V1]);

  const noPrevious = await update(root, '--rollback');
  t.equal(noPrevious.code, 1);
  t.match(noPrevious.text, /there is no previous release to go back to/);

  rmSync(`${file}.sha256`);
  const unchecked = await update(root, file);
  t.equal(unchecked.code, 0, unchecked.text);
  t.match(unchecked.text, /warning: no .*\.sha256 next to the file: the copy was not checked/);
});

t.test('a config the new release refuses stops the switch', { skip }, async (t) => {
  const { root, app, config } = box(t);
  await update(root, tarball(V1));
  writeFileSync(config, 'version: 1\nweb:\n  prot: 1\n');
  const run = await update(root, tarball(V2));
  t.equal(run.code, 1);
  t.match(run.text, /does not accept .*config\.yaml, so it was not switched to/);
  t.match(run.text, /unknown key "prot"/, 'with the new release’s own explanation');
  t.equal(readlinkSync(app('current')), `releases/${V1}`);
  t.same(readdirSync(app('releases')), [V1], 'the refused release is not kept');
});

t.test('a release for another CPU or Node ABI is refused', { skip }, async (t) => {
  const { root, config, app } = box(t);
  await t.rejects(
    updateFromTarball(tarball(V1), {
      root,
      configFile: config,
      nodeBin: process.execPath,
      service: null,
      platform: { arch: 'riscv64', nodeAbi: process.versions.modules },
    }),
    {
      code: 'UPDATE_WRONG_PLATFORM',
      message: new RegExp(`built for ${process.arch} .* this box is riscv64`),
    },
  );
  t.notOk(existsSync(app('current')));
});

t.test(
  'when the new release does not start, the previous one is switched back',
  { skip },
  async (t) => {
    const { root, config, app } = box(t);
    await update(root, tarball(V1));
    const restarts: string[] = [];
    const service: ServiceControl = {
      restart: (unit) => {
        restarts.push(readlinkSync(app('current')));
        return restarts.length === 1
          ? { ok: false, detail: `Job for ${unit} failed` }
          : { ok: true, detail: 'ok' };
      },
    };
    await t.rejects(
      updateFromTarball(tarball(V2), {
        root,
        configFile: config,
        nodeBin: process.execPath,
        service,
      }),
      {
        code: 'UPDATE_START_FAILED',
        message: new RegExp(
          `did not start on release ${V2}.*switched back to ${V1}, which is running again`,
        ),
      },
    );
    t.same(restarts, [`releases/${V2}`, `releases/${V1}`]);
    t.equal(readlinkSync(app('current')), `releases/${V1}`);
    t.equal(readlinkSync(app('previous')), `releases/${V2}`);
  },
);

t.test(
  'an install from before releases/ is taken over with its previous version',
  { skip },
  async (t) => {
    const { root, app } = box(t);
    // The old install.sh layout: the app right in /opt/linekeeper, the one before next to it.
    mkdirSync(app(), { recursive: true });
    mkdirSync(`${app()}.previous`);
    spawnSync('tar', ['-xzf', tarball(V1), '-C', app(), '--strip-components=1']);
    spawnSync('tar', ['-xzf', tarball(V2), '-C', `${app()}.previous`, '--strip-components=1']);
    t.equal(runningVersion(app), V1);
    const run = await update(root, tarball(V2));
    t.equal(run.code, 0, run.text);
    t.equal(readlinkSync(app('current')), `releases/${V2}+2`);
    t.equal(readlinkSync(app('previous')), `releases/${V1}`, 'the running version is the rollback');
    t.notOk(existsSync(`${app()}.previous`));
    t.equal(runningVersion(app), V2);
  },
);
