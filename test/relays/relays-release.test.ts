import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import t from 'tap';
import { registerRelaysCommand } from '../../src/cli/commands/relays-command.js';
import { FakeSysfsTree } from './fake-sysfs-tree.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/energise-line-select.ts', import.meta.url));

async function runRelays(args: string[]): Promise<{ code: number; stdout: string }> {
  const program = new Command().option('-c, --config <file>').exitOverride();
  registerRelaysCommand(program);
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) =>
    chunks.push(String(chunk)) > 0) as typeof process.stdout.write;
  const saved = process.exitCode;
  process.exitCode = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: Number(process.exitCode ?? 0), stdout: chunks.join('') };
  } finally {
    process.stdout.write = write;
    process.exitCode = saved;
  }
}

function configFile(tree: FakeSysfsTree, yaml: string): string {
  const path = join(tree.root, 'config.yaml');
  writeFileSync(path, yaml);
  return path;
}

async function energiseInChild(tree: FakeSysfsTree, activeLow: boolean) {
  // tap's own loaders (TypeScript) ride along in execArgv, so the child runs the .ts source.
  const child = spawn(
    process.execPath,
    [...process.execArgv, FIXTURE, tree.root, activeLow ? 'active-low' : 'active-high'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('energised') && resolve());
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
  return child;
}

for (const activeLow of [false, true]) {
  t.test(
    `SIGKILL leaves the line energised; relays release puts it on the front desk (${activeLow ? 'active-low' : 'active-high'})`,
    async (t) => {
      const tree = new FakeSysfsTree().start();
      t.teardown(() => tree.stop());
      const config = configFile(
        tree,
        `relays:\n  pins: { lineSelect: 17, hook: 27 }\n  activeLow: ${activeLow}\n`,
      );
      const child = await energiseInChild(tree, activeLow);
      const energisedLevel = activeLow ? 0 : 1;
      t.equal(tree.level(529), energisedLevel, 'line-select energised by the child');

      const killedAt = performance.now();
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      t.equal(
        tree.level(529),
        energisedLevel,
        'sysfs keeps the level after SIGKILL: this is the danger',
      );

      const { code, stdout } = await runRelays([
        '-c',
        config,
        'relays',
        'release',
        '--driver',
        'sysfs',
        '--sysfs-root',
        tree.root,
      ]);
      const latencyMs = performance.now() - killedAt;
      t.equal(code, 0, stdout);
      t.equal(tree.level(529), activeLow ? 1 : 0, 'line-select at rest');
      t.equal(tree.level(539), activeLow ? 1 : 0, 'hook at rest too');
      t.match(stdout, /line-select BCM 17 gpio529: released/);
      t.match(stdout.split('\n')[0], /line-select/, 'line-select is released first');
      t.ok(latencyMs < 1000, `released ${latencyMs.toFixed(1)} ms after SIGKILL`);
      t.comment(
        `SIGKILL -> relays release latency: ${latencyMs.toFixed(1)} ms (ExecStopPost adds systemd's own few ms)`,
      );
    },
  );
}

t.test(
  'release with polarity from the dead process, even if the config cannot be read',
  async (t) => {
    const tree = new FakeSysfsTree().start();
    t.teardown(() => tree.stop());
    tree.leaveDriven(529, '1', '0');
    const { code, stdout } = await runRelays([
      '-c',
      join(tree.root, 'missing.yaml'),
      'relays',
      'release',
      '--driver',
      'sysfs',
      '--sysfs-root',
      tree.root,
    ]);
    t.equal(code, 2, 'reports the config problem');
    t.equal(tree.level(529), 0, 'but still releases the default line-select pin (BCM 17)');
    t.match(stdout, /gpio529: released/);
  },
);

t.test('pins nobody exported are reported, not touched', async (t) => {
  const tree = new FakeSysfsTree().start();
  t.teardown(() => tree.stop());
  const config = configFile(tree, 'relays:\n  pins: { lineSelect: 17 }\n');
  const { code, stdout } = await runRelays([
    '-c',
    config,
    'relays',
    'release',
    '--driver',
    'sysfs',
    '--sysfs-root',
    tree.root,
  ]);
  t.equal(code, 0);
  t.match(stdout, /gpio529: not-driven, not exported/);
  t.notOk(tree.isExported(529));
});

t.test('simulated relays: nothing to release; a bad --driver is bad input', async (t) => {
  const tree = new FakeSysfsTree().start();
  t.teardown(() => tree.stop());
  const config = configFile(tree, 'relays:\n  driver: simulated\n');
  t.match(
    (await runRelays(['-c', config, 'relays', 'release'])).stdout,
    /simulated: there is no GPIO/,
  );
  const bad = await runRelays(['-c', config, 'relays', 'release', '--driver', 'onoff']);
  t.equal(bad.code, 2);
});
