import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { hasCommand, REPO_ROOT, runCommand } from './run-command.js';

const UNIT = join(REPO_ROOT, 'systemd/linekeeper.service');
const SYSUSERS = join(REPO_ROOT, 'systemd/linekeeper.sysusers');
/** systemd-analyze's 0-10 scale; 1.4 when this was written. Lower is better. */
const MAX_EXPOSURE = 2.5;

const unitText = readFileSync(UNIT, 'utf8');

/** The values of one key in the [Service] section, in order. */
function serviceValues(key: string): string[] {
  const service = unitText.split(/^\[Service\]$/m)[1]?.split(/^\[/m)[0] ?? '';
  return [...service.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1] ?? '');
}

// CI installs systemd (.ci/run); there a missing systemd-analyze is a failure, not a skip.
const skipAnalyze = hasCommand('systemd-analyze')
  ? false
  : process.env.CI
    ? false
    : 'systemd-analyze is not installed (apt-get install systemd)';

t.test(
  'systemd-analyze verify finds nothing to report in the unit',
  { skip: skipAnalyze },
  async (t) => {
    const result = await runCommand('systemd-analyze', ['verify', UNIT]);
    // verify exits 0 even for unknown keys and bad values; it only warns on stderr.
    const findings = result.stderr.split('\n').filter((line) => line.includes('linekeeper'));
    t.same(findings, [], 'no warnings about linekeeper.service');
    t.equal(result.code, 0);
  },
);

t.test(
  'verify does catch a broken copy of the unit (the check can fail)',
  { skip: skipAnalyze },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'linekeeper-unit-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const broken = join(dir, 'linekeeper.service');
    cpSync(UNIT, broken);
    writeFileSync(broken, unitText.replace('ProtectSystem=strict', 'ProtectSytem=strict'));
    const result = await runCommand('systemd-analyze', ['verify', broken]);
    t.match(result.stderr, /Unknown key 'ProtectSytem'/);
  },
);

t.test(`security exposure is at most ${MAX_EXPOSURE}`, { skip: skipAnalyze }, async (t) => {
  const result = await runCommand('systemd-analyze', [
    'security',
    '--offline=yes',
    '--no-pager',
    UNIT,
  ]);
  const match = /Overall exposure level for linekeeper\.service: (\d+(?:\.\d+)?)/.exec(
    result.stdout,
  );
  if (!match) {
    t.fail(`no overall exposure line in the report:\n${result.stdout.slice(-400)}${result.stderr}`);
    return;
  }
  const exposure = Number(match[1]);
  t.comment(`systemd-analyze security --offline=yes: exposure ${exposure} (0 best, 10 worst)`);
  t.ok(exposure <= MAX_EXPOSURE, `exposure ${exposure} <= ${MAX_EXPOSURE}`);
});

t.test(
  'the unit runs the built CLI as linekeeper with its state and config directories',
  async (t) => {
    t.same(serviceValues('ExecStart'), [
      '/usr/bin/node /opt/linekeeper/dist/cli/main.js --config /etc/linekeeper/config.yaml run',
    ]);
    t.same(serviceValues('User'), ['linekeeper']);
    t.same(serviceValues('StateDirectory'), ['linekeeper']);
    t.same(serviceValues('ConfigurationDirectory'), ['linekeeper']);
    t.same(serviceValues('WorkingDirectory'), ['/var/lib/linekeeper']);
    t.same(serviceValues('Restart'), ['always']);
    t.same(serviceValues('DevicePolicy'), ['closed']);
    t.ok(serviceValues('DeviceAllow').includes('char-ttyACM rw'), 'the voice modem is allowed');
    t.same(serviceValues('MemoryDenyWriteExecute'), [], 'no MemoryDenyWriteExecute: it breaks V8');
    t.same(serviceValues('IPAddressDeny'), ['any']);
  },
);

/** Source files that talk to systemd's notify socket (sd_notify READY=1 / WATCHDOG=1). */
function notifyingSources(): string[] {
  const hits: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && /NOTIFY_SOCKET|READY=1/.test(readFileSync(path, 'utf8')))
        hits.push(path);
    }
  };
  walk(join(REPO_ROOT, 'src'));
  return hits;
}

t.test('Type= matches whether the appliance notifies systemd', async (t) => {
  const notifies = notifyingSources();
  const type = serviceValues('Type');
  if (notifies.length === 0) {
    t.same(
      type,
      ['simple'],
      'no sd_notify in src/: Type=simple (Type=notify would hang the start)',
    );
  } else {
    t.same(type, ['notify'], `src/ sends READY=1 (${notifies.join(', ')}): use Type=notify`);
    t.equal(serviceValues('WatchdogSec').length, 1, 'and a WatchdogSec=');
  }
});

t.test(
  'sysusers creates the linekeeper account in group dialout',
  { skip: hasCommand('systemd-sysusers') ? false : 'systemd-sysusers is not installed' },
  async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'linekeeper-sysusers-'));
    t.teardown(() => rmSync(root, { recursive: true, force: true }));
    cpSync('/etc/passwd', join(root, 'etc/passwd'));
    cpSync('/etc/group', join(root, 'etc/group'));
    const result = await runCommand('systemd-sysusers', [`--root=${root}`, SYSUSERS]);
    t.equal(result.code, 0, result.stderr);
    t.match(
      readFileSync(join(root, 'etc/passwd'), 'utf8'),
      /^linekeeper:x:\d+:\d+:[^:]*:\/var\/lib\/linekeeper:\/usr\/sbin\/nologin$/m,
    );
    t.match(
      readFileSync(join(root, 'etc/group'), 'utf8'),
      /^dialout:x:\d+:(.*,)?linekeeper(,.*)?$/m,
    );
  },
);
