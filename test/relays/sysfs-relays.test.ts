import t from 'tap';
import { GpioRelays } from '../../src/relays/gpio-relays.js';
import type { RelayWiring } from '../../src/relays/relay-wiring.js';
import { SysfsBackend } from '../../src/relays/sysfs/sysfs-backend.js';
import { VirtualClock } from '../../src/shared/virtual-clock.js';
import { FakeSysfsTree } from './fake-sysfs-tree.js';
import { StepClock } from './step-clock.js';

const WIRING: RelayWiring = {
  pins: { 'line-select': 17, hook: 27, 'status-led': 22 },
  activeLow: false,
};

function relaysOn(tree: FakeSysfsTree, wiring: RelayWiring, exportTimeoutMs?: number) {
  const backend = new SysfsBackend({
    root: tree.root,
    activeLow: wiring.activeLow,
    ...(exportTimeoutMs ? { exportTimeoutMs } : {}),
  });
  return new GpioRelays(backend, wiring, new VirtualClock());
}

t.test('start exports each pin at chip base + BCM, as an output at rest', async (t) => {
  const tree = new FakeSysfsTree().start();
  t.teardown(() => tree.stop());
  const relays = relaysOn(tree, WIRING);
  await relays.start();
  t.same(tree.exported, [529, 539, 534], 'line-select first; 512 + 17, 512 + 27, 512 + 22');
  for (const n of [529, 539, 534]) {
    t.equal(tree.file(n, 'direction'), 'out');
    t.equal(tree.file(n, 'active_low'), '0');
    t.equal(tree.level(n), 0, `gpio${n} de-energised`);
  }
  t.equal(relays.kind, 'sysfs');
});

t.test('active-high board: energised is a high pin', async (t) => {
  const tree = new FakeSysfsTree().start();
  t.teardown(() => tree.stop());
  const relays = relaysOn(tree, WIRING);
  await relays.start();
  await relays.set('line-select', true);
  t.equal(tree.level(529), 1);
  t.equal(relays.get('line-select'), true);
  t.equal(tree.level(539), 0, 'other relays untouched');
  await relays.set('line-select', false);
  t.equal(tree.level(529), 0);
});

t.test('active-low board: the kernel attribute inverts, energised is a low pin', async (t) => {
  const tree = new FakeSysfsTree().start();
  t.teardown(() => tree.stop());
  const relays = relaysOn(tree, { ...WIRING, activeLow: true });
  await relays.start();
  t.equal(tree.file(529, 'active_low'), '1');
  t.equal(tree.level(529), 1, 'at rest the input of an active-low board is high');
  await relays.set('line-select', true);
  t.equal(tree.file(529, 'value'), '1', 'value stays logical');
  t.equal(tree.level(529), 0);
});

t.test('a pin left energised by a killed process is put at rest on start', async (t) => {
  const tree = new FakeSysfsTree().start();
  t.teardown(() => tree.stop());
  tree.leaveDriven(529, '1');
  const relays = relaysOn(tree, WIRING);
  await relays.start();
  t.equal(tree.level(529), 0);
  t.notOk(tree.exported.includes(529), 'already exported: not exported again');
});

t.test('stop de-energises every relay; pulse releases after the time', async (t) => {
  const tree = new FakeSysfsTree().start();
  t.teardown(() => tree.stop());
  const clock = new StepClock();
  const relays = new GpioRelays(
    new SysfsBackend({ root: tree.root, activeLow: false }),
    WIRING,
    clock,
  );
  await relays.start();
  const pulse = relays.pulse('hook', 600);
  await clock.waitForSleeper();
  t.equal(tree.level(539), 1, 'hook held during the flash');
  clock.advance(599);
  await new Promise((r) => setTimeout(r, 20));
  t.equal(tree.level(539), 1, 'still held 1 ms before the end');
  clock.advance(1);
  await pulse;
  t.equal(tree.level(539), 0);
  await relays.set('line-select', true);
  await relays.set('status-led', true);
  await relays.stop();
  t.equal(tree.level(529), 0);
  t.equal(tree.level(534), 0);
  t.equal(relays.get('line-select'), false);
});

t.test('unwired roles are remembered but touch no pin', async (t) => {
  const tree = new FakeSysfsTree().start();
  t.teardown(() => tree.stop());
  const relays = relaysOn(tree, { pins: { 'line-select': 17 }, activeLow: false });
  await relays.start();
  await relays.set('transfer', true);
  t.equal(relays.get('transfer'), true);
  t.same(tree.exported, [529]);
});

t.test('typed errors: export never answered, pin off the chip, no header chip', async (t) => {
  const silent = new FakeSysfsTree().start(false);
  t.teardown(() => silent.stop());
  await t.rejects(relaysOn(silent, WIRING, 100).start(), {
    code: 'GPIO_SYSFS_FAILED',
    message: /waiting 100 ms .*gpio529/,
  });

  const tree = new FakeSysfsTree().start();
  t.teardown(() => tree.stop());
  await t.rejects(relaysOn(tree, { pins: { hook: 58 }, activeLow: false }).start(), {
    code: 'GPIO_PIN_OUT_OF_RANGE',
  });

  const other = new FakeSysfsTree([{ label: 'gpio-mockup-A', base: 0, ngpio: 16 }]).start();
  t.teardown(() => other.stop());
  await t.rejects(relaysOn(other, WIRING).start(), {
    code: 'GPIO_CHIP_NOT_FOUND',
    message: /gpiochip0 \[gpio-mockup-A\]/,
  });
});
