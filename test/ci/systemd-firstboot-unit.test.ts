import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { hasCommand, REPO_ROOT, runCommand } from './run-command.js';

const UNIT = join(REPO_ROOT, 'systemd/linekeeper-firstboot.service');
/** It needs no devices and no network, so it can be locked down further than the appliance. */
const MAX_EXPOSURE = 1.0;
const text = readFileSync(UNIT, 'utf8');

const skip = hasCommand('systemd-analyze')
  ? false
  : process.env.CI
    ? false
    : 'systemd-analyze is not installed (apt-get install systemd)';

t.test('the first-boot unit verifies cleanly', { skip }, async (t) => {
  const result = await runCommand('systemd-analyze', ['verify', UNIT]);
  t.same(
    result.stderr.split('\n').filter((line) => line.includes('linekeeper')),
    [],
  );
  t.equal(result.code, 0);
});

t.test(`its exposure is at most ${MAX_EXPOSURE}`, { skip }, async (t) => {
  const result = await runCommand('systemd-analyze', [
    'security',
    '--offline=yes',
    '--no-pager',
    UNIT,
  ]);
  const exposure = Number(
    /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(result.stdout)?.[1],
  );
  t.comment(`linekeeper-firstboot.service exposure ${exposure}`);
  t.ok(exposure <= MAX_EXPOSURE, `exposure ${exposure} <= ${MAX_EXPOSURE}`);
});

t.test('it runs once, before the appliance, as linekeeper, in the state directory', async (t) => {
  t.match(text, /^ConditionPathExists=!\/var\/lib\/linekeeper\/firstboot-done$/m);
  t.match(text, /^Before=linekeeper\.service$/m);
  t.match(text, /^Type=oneshot$/m);
  t.match(
    text,
    /^ExecStart=\/usr\/bin\/node \/opt\/linekeeper\/dist\/cli\/main\.js --config \/etc\/linekeeper\/config\.yaml firstboot$/m,
  );
  t.match(text, /^User=linekeeper$/m);
  t.match(text, /^StateDirectory=linekeeper$/m);
  t.match(text, /^StandardOutput=journal\+console$/m, 'the setup code shows on a screen too');
  t.match(text, /^WantedBy=multi-user\.target$/m);
});
