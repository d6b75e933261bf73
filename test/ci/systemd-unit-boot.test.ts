import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { hasCommand, REPO_ROOT, runCommand } from './run-command.js';

/**
 * Boots a throw-away systemd (systemd-nspawn, volatile root, private network) with the real
 * systemd/linekeeper.service and the built appliance bound at /opt/linekeeper, so the unit's
 * sandbox is tried with the real program: it starts, serves the page, keeps its data in the
 * state directory, is denied the rest of the system, and stops cleanly. Nothing of it touches
 * the host: /etc and /var are a tmpfs, /usr and the repository are bound read-only.
 */
const UNIT = join(REPO_ROOT, 'systemd/linekeeper.service');
const SYSUSERS = join(REPO_ROOT, 'systemd/linekeeper.sysusers');

// Booting the container takes about 3 s; give a loaded machine room before tap's 120 s.
t.setTimeout(200_000);

function skipReason(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (systemd-nspawn)';
  if (!hasCommand('systemd-nspawn')) {
    return process.env.CI
      ? false
      : 'systemd-nspawn is not installed (apt-get install systemd-container)';
  }
  if (!existsSync('/usr/bin/node'))
    return 'the unit runs /usr/bin/node, which this machine does not have';
  if (!existsSync(join(REPO_ROOT, 'dist/cli/main.js')))
    return 'dist/ is not built (npm test builds it)';
  return false;
}

/** The same [Service] sandbox as the real unit, running a script that tries what it may not do. */
function sandboxProbeUnit(): string {
  const unit = readFileSync(UNIT, 'utf8');
  const service = unit.split(/^\[Install\]$/m)[0]?.split(/^\[Service\]$/m)[1] ?? '';
  return `[Unit]\nDescription=probe of the linekeeper.service sandbox\n[Service]\n${service
    .replace(/^ExecStart=.*$/m, 'ExecStart=/usr/bin/node /lk-sandbox-probe.mjs')
    .replace(/^Restart=.*$/m, 'Restart=no')}`;
}

const SANDBOX_PROBE = `import { writeFileSync } from 'node:fs';
import os from 'node:os';
const r = {};
const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = 'ERR ' + (e.code ?? e.message); } };
for (const p of ['/usr/x', '/etc/x', '/opt/linekeeper/x', '/var/lib/linekeeper/probe', '/tmp/x', '/home/x', '/root/x'])
  t('write ' + p, () => (writeFileSync(p, 'x'), 'ok'));
t('setuid 0', () => (process.setuid(0), 'ok'));
t('cpus', () => os.cpus().length);
t('interfaces', () => Object.keys(os.networkInterfaces()).length);
console.log('PROBE ' + JSON.stringify(r));
`;

// Runs inside the container once linekeeper.service has been started; results go to /out.
const PROBE_SCRIPT = `#!/bin/bash
cd /out
for i in $(seq 1 60); do
  code=$(curl -s -o page.html -w '%{http_code}' http://127.0.0.1:8080/setup || true)
  [[ "$code" == 200 ]] && break
  sleep 0.5
done
echo "$code" > http
systemctl show linekeeper -p ActiveState -p NRestarts -p MainPID > running
pid=$(systemctl show linekeeper -p MainPID --value)
grep -E '^(Uid|Groups|CapEff|NoNewPrivs|Seccomp):' "/proc/$pid/status" > credentials
id -u linekeeper > uid
getent group dialout | cut -d: -f3 > dialout-gid
ls /var/lib/linekeeper > state-files
for i in $(seq 1 20); do systemctl is-active -q lk-sandbox-probe || break; sleep 0.5; done
journalctl -u lk-sandbox-probe -o cat --no-pager | grep '^PROBE ' | cut -c7- > sandbox.json
systemctl stop linekeeper
systemctl show linekeeper -p ActiveState -p Result -p ExecMainStatus > stopped
journalctl -u linekeeper -o cat --no-pager > journal.txt
touch done
kill -s SIGRTMIN+4 1
`;

function keyValues(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

t.test(
  'the unit runs the appliance in its sandbox in a booted systemd',
  { skip: skipReason() },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'linekeeper-nspawn-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, 'out');
    mkdirSync(out);
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const probe = file('probe.sh', PROBE_SCRIPT);
    chmodSync(probe, 0o755);
    const binds: [string, string][] = [
      [UNIT, '/etc/systemd/system/linekeeper.service'],
      [SYSUSERS, '/etc/sysusers.d/linekeeper.conf'],
      [REPO_ROOT, '/opt/linekeeper'],
      [
        file('config.yaml', 'version: 1\ndataDir: /var/lib/linekeeper\n'),
        '/etc/linekeeper/config.yaml',
      ],
      [
        file('lk-sandbox-probe.service', sandboxProbeUnit()),
        '/etc/systemd/system/lk-sandbox-probe.service',
      ],
      [file('probe.mjs', SANDBOX_PROBE), '/lk-sandbox-probe.mjs'],
      [probe, '/lk-probe.sh'],
      [
        file(
          'lk-probe.service',
          '[Unit]\nAfter=linekeeper.service\n[Service]\nType=oneshot\nExecStart=/lk-probe.sh\n',
        ),
        '/etc/systemd/system/lk-probe.service',
      ],
      [
        file(
          'lk-trial.target',
          '[Unit]\nWants=linekeeper.service lk-sandbox-probe.service lk-probe.service\n',
        ),
        '/etc/systemd/system/lk-trial.target',
      ],
    ];
    const result = await runCommand(
      'systemd-nspawn',
      [
        '--quiet',
        '--directory=/',
        '--volatile=yes',
        '--private-network',
        '--register=no',
        '--keep-unit',
        `--machine=lk-trial-${process.pid}`,
        ...binds.map(([from, to]) => `--bind-ro=${from}:${to}`),
        `--bind=${out}:/out`,
        '--boot',
        'systemd.unit=lk-trial.target',
        'systemd.firstboot=off',
      ],
      { timeoutMs: 100_000 },
    );
    const read = (name: string) =>
      existsSync(join(out, name)) ? readFileSync(join(out, name), 'utf8').trim() : '';
    if (!existsSync(join(out, 'done'))) {
      t.fail(
        `the probe did not finish (nspawn exit ${result.code}):\n${result.stdout.slice(-3000)}${result.stderr}`,
      );
      return;
    }

    t.equal(read('http'), '200', 'the web page answers inside the sandbox');
    const running = keyValues(read('running'));
    t.equal(running.ActiveState, 'active');
    t.equal(running.NRestarts, '0', 'no crash and restart on the way up');

    const credentials = keyValues(read('credentials').replace(/:\s+/g, '='));
    t.equal(credentials.Uid?.split(/\s+/)[0], read('uid'), 'runs as the linekeeper user');
    t.ok(
      credentials.Groups?.split(/\s+/).includes(read('dialout-gid')),
      'with group dialout (the modem)',
    );
    t.equal(credentials.CapEff, '0000000000000000', 'no capabilities');
    t.equal(credentials.NoNewPrivs, '1');
    t.equal(credentials.Seccomp, '2', 'a system call filter is in force');
    t.match(read('state-files'), /linekeeper\.db/, 'the call database is in the state directory');

    const sandbox = JSON.parse(read('sandbox.json') || '{}') as Record<string, string | number>;
    t.equal(sandbox['write /var/lib/linekeeper/probe'], 'ok', 'the state directory is writable');
    t.equal(sandbox['write /tmp/x'], 'ok', 'a private /tmp is writable');
    for (const path of ['/usr/x', '/etc/x', '/opt/linekeeper/x']) {
      t.equal(sandbox[`write ${path}`], 'ERR EROFS', `${path} is read-only`);
    }
    for (const path of ['/home/x', '/root/x']) {
      t.equal(sandbox[`write ${path}`], 'ERR EACCES', `${path} is out of reach`);
    }
    t.equal(sandbox['setuid 0'], 'ERR EPERM', 'cannot become root');
    t.ok(Number(sandbox.cpus) > 0, 'os.cpus() still works (speech thread sizing reads it)');
    t.ok(Number(sandbox.interfaces) > 0, 'os.networkInterfaces() still works (AF_NETLINK)');

    const stopped = keyValues(read('stopped'));
    t.equal(
      stopped.Result,
      'success',
      `SIGTERM stops it cleanly\n${read('journal.txt').slice(-1500)}`,
    );
    t.match(read('journal.txt'), /linekeeper ready/);
  },
);
