import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { registerFirstbootCommand } from '../../src/cli/commands/firstboot-command.js';
import { hasCommand } from '../ci/run-command.js';
import { runCommandInProcess } from '../helpers/cli-in-process.js';

/** `linekeeper --config FILE firstboot ...` in this process, with what it printed. */
async function firstboot(config: string, ...args: string[]) {
  return runCommandInProcess(registerFirstbootCommand, ['--config', config, 'firstboot', ...args]);
}

function box(t: Test) {
  const root = mkdtempSync(join(tmpdir(), 'lk-fb-provision-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const boot = join(root, 'card');
  mkdirSync(boot);
  mkdirSync(join(root, 'etc/linekeeper'), { recursive: true });
  const config = join(root, 'etc/linekeeper/config.yaml');
  writeFileSync(config, `version: 1\ndataDir: ${join(root, 'state')}\n`);
  return { root, boot, config, state: join(root, 'state') };
}

t.test('firstboot --provision-only applies the card file and says what changed', async (t) => {
  const { root, boot, config, state } = box(t);
  writeFileSync(join(boot, 'linekeeper.yaml'), 'site: Praxis Nord\nnetwork:\n  type: ethernet\n');
  const run = await firstboot(config, '--provision-only', '--root', root, '--boot-dir', boot);
  t.equal(run.code, 0, run.text);
  t.match(run.text, `applied ${join(boot, 'linekeeper.yaml')}; passwords removed`);
  t.match(run.text, /changed: device\.name/);
  t.match(readFileSync(config, 'utf8'), /name: Praxis Nord/);
  t.ok(existsSync(join(state, 'provisioning-status.json')));
  t.notOk(existsSync(join(state, 'device-secret')), 'secrets are the other unit’s job');

  const again = await firstboot(config, '--provision-only', '--root', root, '--boot-dir', boot);
  t.equal(again.code, 0);
  t.match(again.text, /nothing to provision/);
});

t.test('a bad card file exits 2 and lists every mistake with its line', async (t) => {
  const { root, boot, config } = box(t);
  const before = readFileSync(config, 'utf8');
  writeFileSync(join(boot, 'linekeeper.yaml'), 'site: A\nlanguage: fr\nnetwork:\n  type: wifi\n');
  const run = await firstboot(config, '--provision-only', '--root', root, '--boot-dir', boot);
  t.equal(run.code, 2);
  t.match(run.text, /NOT applied: .* has mistakes; nothing was changed/);
  t.match(run.text, /linekeeper\.yaml:2:1: language: "fr" is not valid/);
  t.match(
    run.text,
    /linekeeper\.yaml:4:3: network\.type: "wifi" needs network\.ssid, network\.psk, network\.country/,
  );
  t.equal(readFileSync(config, 'utf8'), before);
});

t.test(
  'the later firstboot (secrets) points at the rejected file on the console',
  { skip: hasCommand('openssl') ? false : 'openssl is not installed' },
  async (t) => {
    const { root, boot, config } = box(t);
    writeFileSync(join(boot, 'linekeeper.yaml'), 'language: fr\n');
    await firstboot(config, '--provision-only', '--root', root, '--boot-dir', boot);
    const run = await firstboot(config);
    t.equal(run.code, 0, run.text);
    t.match(run.text, /boot-partition settings were NOT applied .*linekeeper-errors\.txt/);
  },
);
