import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { hasCommand, REPO_ROOT, runCommand } from './run-command.js';

/**
 * The notify protocol against a real systemd (systemd-nspawn, volatile root, as in
 * systemd-unit-boot.test.ts): the unit's start job completes on READY=1, StatusText= shows what
 * the appliance said, and with a 2 s watchdog the service is still on its first run after 8 s,
 * which it would not be if systemd did not accept the WATCHDOG=1 pings (it would kill it).
 */
const UNIT = join(REPO_ROOT, 'systemd/linekeeper.service');
const SYSUSERS = join(REPO_ROOT, 'systemd/linekeeper.sysusers');
const WATCHDOG_SEC = 2;

t.setTimeout(200_000);

function skipReason(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (systemd-nspawn)';
  if (!hasCommand('systemd-nspawn')) {
    return process.env.CI
      ? false
      : 'systemd-nspawn is not installed (apt-get install systemd-container)';
  }
  if (!existsSync('/usr/bin/node')) return 'the unit runs /usr/bin/node, absent here';
  if (!existsSync(join(REPO_ROOT, 'dist/cli/main.js'))) return 'dist/ is not built';
  return false;
}

const PROBE_SCRIPT = `#!/bin/bash
cd /out
systemctl show linekeeper -p ActiveState -p StatusText -p NRestarts -p WatchdogUSec > at-start
sleep ${WATCHDOG_SEC * 4}
systemctl show linekeeper -p ActiveState -p StatusText -p NRestarts -p MainPID > later
systemctl stop linekeeper
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
  'systemd sees READY, the status line and the watchdog pings',
  { skip: skipReason() },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'linekeeper-notify-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, 'out');
    mkdirSync(out);
    const file = (name: string, text: string, mode = 0o644) => {
      writeFileSync(join(dir, name), text, { mode });
      return join(dir, name);
    };
    const binds: [string, string][] = [
      [UNIT, '/etc/systemd/system/linekeeper.service'],
      [
        file('watchdog.conf', `[Service]\nWatchdogSec=${WATCHDOG_SEC}s\n`),
        '/etc/systemd/system/linekeeper.service.d/watchdog.conf',
      ],
      [SYSUSERS, '/etc/sysusers.d/linekeeper.conf'],
      [REPO_ROOT, '/opt/linekeeper'],
      [
        file('config.yaml', 'version: 1\ndataDir: /var/lib/linekeeper\n'),
        '/etc/linekeeper/config.yaml',
      ],
      [file('probe.sh', PROBE_SCRIPT, 0o755), '/lk-probe.sh'],
      [
        // After= a Type=notify unit waits for its READY=1, so the probe starts once it is sent.
        file(
          'lk-probe.service',
          '[Unit]\nAfter=linekeeper.service\n[Service]\nType=oneshot\nExecStart=/lk-probe.sh\n',
        ),
        '/etc/systemd/system/lk-probe.service',
      ],
      [
        file('lk-trial.target', '[Unit]\nWants=linekeeper.service lk-probe.service\n'),
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
        `--machine=lk-notify-${process.pid}`,
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
      t.fail(`the probe did not finish (nspawn exit ${result.code}):\n${result.stderr}`);
      return;
    }
    const atStart = keyValues(read('at-start'));
    t.equal(atStart.ActiveState, 'active', 'the start job ended with READY=1, not a timeout');
    t.match(atStart.StatusText, /^answering calls on the simulated line; web page http/);
    t.equal(atStart.WatchdogUSec, `${WATCHDOG_SEC}s`);
    const later = keyValues(read('later'));
    t.equal(later.ActiveState, 'active');
    t.equal(
      later.NRestarts,
      '0',
      `fed for ${WATCHDOG_SEC * 4} s: no watchdog kill\n${read('journal.txt').slice(-1500)}`,
    );
    t.notMatch(read('journal.txt'), /[Ww]atchdog timeout/);
  },
);
