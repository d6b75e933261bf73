import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { hasCommand, REPO_ROOT, runCommand } from './run-command.js';

/**
 * scripts/install.sh on a fresh Debian bookworm made with debootstrap (bookworm: the harder
 * case, Node 18 in Debian, so Node 20 comes from the npm registry). The install runs inside the
 * tree with systemd-nspawn (a chroot that also gets its own /proc, /dev and /sys, so nothing
 * is bind-mounted from the host and a failed run cannot leave mounts behind). Then the tree is
 * booted with its own systemd to see the installed units start the appliance in simulation.
 *
 * Timings on a 2-core CI machine: debootstrap 45 s, bundle 15 s, install 20 s, boot 10 s.
 */
t.setTimeout(900_000);

const SUITE = 'bookworm';

function skipReason(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (debootstrap, systemd-nspawn)';
  const missing = ['debootstrap', 'systemd-nspawn'].filter((c) => !hasCommand(c));
  if (missing.length > 0) {
    return process.env.CI
      ? false
      : `not installed: ${missing.join(', ')} (apt-get install debootstrap systemd-container)`;
  }
  if (!existsSync(join(REPO_ROOT, 'dist/cli/main.js')))
    return 'dist/ is not built (npm test builds it)';
  return false;
}

/** The Debian mirror this machine's apt uses, so the test reaches the same archive. */
function debianMirror(): string {
  if (process.env.LINEKEEPER_DEBIAN_MIRROR) return process.env.LINEKEEPER_DEBIAN_MIRROR;
  const texts = ['/etc/apt/sources.list', '/etc/apt/sources.list.d/debian.sources']
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f, 'utf8'));
  for (const text of texts) {
    const deb822 = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text);
    if (deb822?.[1]) return deb822[1];
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+\w+/m.exec(text);
    if (oneLine?.[1]) return oneLine[1];
  }
  return 'http://deb.debian.org/debian';
}

/** What a release would ship: the built app and its production node_modules. */
async function makeBundle(dir: string): Promise<void> {
  mkdirSync(join(dir, 'src/web'), { recursive: true });
  for (const entry of [
    'package.json',
    'package-lock.json',
    'dist',
    'examples',
    'models',
    'systemd',
    'scripts',
    'node_modules',
  ]) {
    cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true, verbatimSymlinks: true });
  }
  cpSync(join(REPO_ROOT, 'src/web/static'), join(dir, 'src/web/static'), { recursive: true });
  const pruned = await runCommand('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], {
    cwd: dir,
    timeoutMs: 120_000,
  });
  if (pruned.code !== 0) throw new Error(`npm prune failed: ${pruned.stderr}`);
}

const PROBE = `#!/bin/bash
cd /out
for i in $(seq 1 60); do
  code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/setup || true)
  [[ "$code" == 200 ]] && break
  sleep 0.5
done
echo "$code" > http
systemctl show linekeeper -p ActiveState -p NRestarts -p StatusText -p ExecStart > service
systemctl show linekeeper-firstboot -p ActiveState -p Result > firstboot
journalctl -u linekeeper-firstboot -o cat --no-pager > firstboot-journal.txt
ls /var/lib/linekeeper > state-files
journalctl -u linekeeper -o cat --no-pager > journal.txt
touch done
systemctl poweroff
`;

function keyValues(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

t.test(
  `install.sh installs and starts linekeeper on a fresh Debian ${SUITE}`,
  { skip: skipReason() },
  async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'lk-install-'));
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const root = join(work, 'root');
    const timings: string[] = [];
    const timed = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
      const start = Date.now();
      try {
        return await fn();
      } finally {
        timings.push(`${label} ${((Date.now() - start) / 1000).toFixed(1)} s`);
      }
    };

    const mirror = debianMirror();
    const boot = await timed('debootstrap', () =>
      runCommand('debootstrap', ['--variant=minbase', SUITE, root, mirror], { timeoutMs: 600_000 }),
    );
    if (boot.code !== 0) {
      t.fail(
        `debootstrap ${SUITE} from ${mirror} failed:\n${boot.stdout.slice(-2000)}${boot.stderr}`,
      );
      return;
    }
    // This machine's own extra CAs (e.g. a proxy's), so the tree trusts what the host trusts.
    const extraCas = '/usr/local/share/ca-certificates';
    if (existsSync(extraCas)) cpSync(extraCas, join(root, extraCas), { recursive: true });

    const bundle = join(work, 'bundle');
    await timed('bundle', () => makeBundle(bundle));

    const nspawn = (args: string[], timeoutMs: number) =>
      runCommand(
        'systemd-nspawn',
        [
          '--quiet',
          `--directory=${root}`,
          '--register=no',
          '--keep-unit',
          `--machine=lk-install-${process.pid}`,
          ...args,
        ],
        { timeoutMs },
      );
    const install = (extra: string[] = []) =>
      nspawn(
        [
          `--bind-ro=${bundle}:/tmp/bundle`,
          '--resolv-conf=copy-host',
          ...(process.env.NPM_CONFIG_REGISTRY
            ? [`--setenv=NPM_CONFIG_REGISTRY=${process.env.NPM_CONFIG_REGISTRY}`]
            : []),
          '/tmp/bundle/scripts/install.sh',
          '--bundle',
          '/tmp/bundle',
          ...extra,
        ],
        600_000,
      );
    const first = await timed('install', () => install());
    t.equal(
      first.code,
      0,
      `install.sh succeeded\n${first.stdout.slice(-3000)}${first.stderr.slice(-2000)}`,
    );
    if (first.code !== 0) return;
    t.match(first.stdout, /Debian offers Node 18 here/, 'bookworm: Node 18 from Debian is refused');
    t.match(first.stdout, /node v20\.\d+\.\d+ at \/opt\/linekeeper-node\/bin\/node/);
    t.match(first.stdout, /systemd is not running here .*starts at the next boot/);

    const at = (path: string) => join(root, path);
    const passwd = readFileSync(at('etc/passwd'), 'utf8');
    const user =
      /^linekeeper:x:(\d+):(\d+):[^:]*:\/var\/lib\/linekeeper:\/usr\/sbin\/nologin$/m.exec(passwd);
    t.ok(user, 'the linekeeper system user exists with no login shell');
    t.match(
      readFileSync(at('etc/group'), 'utf8'),
      /^dialout:x:\d+:(.*,)?linekeeper(,.*)?$/m,
      'in group dialout',
    );
    t.ok(existsSync(at('opt/linekeeper/dist/cli/main.js')), 'the app is in /opt/linekeeper');
    t.ok(
      existsSync(at('opt/linekeeper/node_modules/better-sqlite3')),
      'with its production modules',
    );
    t.notOk(existsSync(at('opt/linekeeper/node_modules/typescript')), 'and without dev modules');
    const config = statSync(at('etc/linekeeper/config.yaml'));
    t.equal(config.mode & 0o777, 0o640);
    t.same([config.uid, config.gid], [0, Number(user?.[2])], 'config is root:linekeeper');
    for (const unit of ['linekeeper.service', 'linekeeper-firstboot.service']) {
      t.ok(
        lstatSync(at(`etc/systemd/system/multi-user.target.wants/${unit}`), {
          throwIfNoEntry: false,
        })?.isSymbolicLink(),
        `${unit} is enabled`,
      );
    }
    t.match(
      readFileSync(at('etc/systemd/system/linekeeper.service.d/10-node.conf'), 'utf8'),
      /^ExecStart=\/opt\/linekeeper-node\/bin\/node /m,
      'the drop-in runs the fetched Node',
    );
    const verify = await nspawn(
      [
        'systemd-analyze',
        'verify',
        '/etc/systemd/system/linekeeper.service',
        '/etc/systemd/system/linekeeper-firstboot.service',
      ],
      60_000,
    );
    t.equal(verify.code, 0, verify.stderr);
    t.same(
      verify.stderr.split('\n').filter((l) => l.includes('linekeeper')),
      [],
      'the installed units verify with their drop-ins',
    );

    // Again: keeps the config and the Node it fetched, keeps the previous app for a rollback.
    writeFileSync(
      at('etc/linekeeper/config.yaml'),
      `${readFileSync(at('etc/linekeeper/config.yaml'), 'utf8')}# technician's note\n`,
    );
    const second = await timed('install again', () => install());
    t.equal(second.code, 0, second.stderr.slice(-2000));
    t.match(second.stdout, /keeping \/etc\/linekeeper\/config\.yaml/);
    t.notMatch(second.stdout, /fetching node-linux/, 'Node is not downloaded twice');
    t.match(readFileSync(at('etc/linekeeper/config.yaml'), 'utf8'), /# technician's note/);
    t.ok(
      existsSync(at('opt/linekeeper/previous/dist/cli/main.js')),
      'the previous version is kept',
    );
    t.equal(
      readlinkSync(at('opt/linekeeper/dist')),
      'current/dist',
      "the units' path follows the current release",
    );
    t.ok(
      lstatSync(at('etc/systemd/system/multi-user.target.wants/linekeeper-provision.service'), {
        throwIfNoEntry: false,
      })?.isSymbolicLink(),
      'the boot-partition provisioning unit is enabled',
    );

    // Boot the installed system: the units start the appliance in simulation, as on a new box.
    const out = join(work, 'out');
    mkdirSync(out);
    writeFileSync(join(work, 'probe.sh'), PROBE, { mode: 0o755 });
    writeFileSync(
      join(work, 'lk-probe.service'),
      '[Unit]\nAfter=linekeeper.service\n[Service]\nType=oneshot\nExecStart=/lk-probe.sh\n',
    );
    writeFileSync(
      join(work, 'lk-trial.target'),
      '[Unit]\nWants=multi-user.target lk-probe.service\n',
    );
    const booted = await timed('boot', () =>
      nspawn(
        [
          '--private-network',
          '--volatile=overlay',
          `--bind-ro=${join(work, 'probe.sh')}:/lk-probe.sh`,
          `--bind-ro=${join(work, 'lk-probe.service')}:/etc/systemd/system/lk-probe.service`,
          `--bind-ro=${join(work, 'lk-trial.target')}:/etc/systemd/system/lk-trial.target`,
          `--bind=${out}:/out`,
          '--boot',
          'systemd.unit=lk-trial.target',
          'systemd.firstboot=off',
        ],
        180_000,
      ),
    );
    const read = (name: string) =>
      existsSync(join(out, name)) ? readFileSync(join(out, name), 'utf8').trim() : '';
    t.comment(`timings: ${timings.join(', ')}`);
    if (!existsSync(join(out, 'done'))) {
      t.fail(
        `the booted system did not finish the probe (exit ${booted.code}):\n${booted.stdout.slice(-3000)}${booted.stderr.slice(-1000)}`,
      );
      return;
    }
    const service = keyValues(read('service'));
    t.equal(read('http'), '200', `the web page answers\n${read('journal.txt').slice(-2000)}`);
    t.equal(service.ActiveState, 'active');
    t.equal(service.NRestarts, '0');
    t.match(service.StatusText, /answering calls on the simulated line/);
    t.match(
      service.ExecStart ?? '',
      'path=/opt/linekeeper-node/bin/node',
      'runs the Node install.sh fetched',
    );
    t.equal(keyValues(read('firstboot')).Result, 'success', read('firstboot-journal.txt'));
    t.match(
      read('journal.txt'),
      /"setupCode":"[0-9A-Z-]+"/,
      'the admin setup code is in the journal',
    );
    t.match(read('firstboot-journal.txt'), /fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    t.match(read('state-files'), /linekeeper\.db/);
    t.match(read('state-files'), /firstboot-done/);
  },
);
