import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import t from 'tap';
import { GpioRelays } from '../../src/relays/gpio-relays.js';
import { GpiochipBackend } from '../../src/relays/gpiochip/gpiochip-backend.js';
import { GpiodTools } from '../../src/relays/gpiochip/gpiod-tools.js';
import { probeRelayDriver } from '../../src/relays/probe-relay-driver.js';
import { executeFailSafePlan } from '../../src/relays/watchdog/fail-safe-plan.js';
import { SystemClock } from '../../src/shared/clock.js';
import { FakeGpiod } from './fake-gpiod.js';

const WIRING = { pins: { 'line-select': 17, hook: 27 } as const, activeLow: true };

function relaysWith(gpiod: FakeGpiod, settleMs?: number) {
  const tools = new GpiodTools({
    gpioset: gpiod.gpioset,
    gpiodetect: gpiod.gpiodetect,
    ...(settleMs ? { settleMs } : {}),
  });
  const backend = new GpiochipBackend({ tools, activeLow: true });
  return new GpioRelays(backend, { pins: { ...WIRING.pins }, activeLow: true }, new SystemClock());
}

for (const version of ['1.6.3', '2.1.3'] as const) {
  t.test(
    `gpiod ${version}: lines are held by gpioset at rest, switched, and freed on stop`,
    async (t) => {
      const gpiod = new FakeGpiod(version);
      t.teardown(() => gpiod.remove());
      const relays = relaysWith(gpiod);
      t.teardown(() => relays.stop().catch(() => {}));
      await relays.start();
      t.equal(relays.kind, 'gpiochip');
      t.equal(gpiod.value('gpiochip0', 17), '0 1', 'logical 0, active-low passed to gpioset');
      t.ok(gpiod.holder('gpiochip0', 17), 'a gpioset holds line-select');
      const dialect =
        version === '1.6.3'
          ? /^--mode=signal --active-low gpiochip0 17=0$/
          : /^--chip gpiochip0 --consumer linekeeper --active-low 17=0$/;
      t.match(gpiod.calls()[0], dialect);

      const before = performance.now();
      await relays.set('line-select', true);
      t.comment(
        `gpiod ${version}: switching a relay (kill + respawn holder) took ${(performance.now() - before).toFixed(1)} ms`,
      );
      t.equal(gpiod.value('gpiochip0', 17), '1 1');
      await relays.stop();
      t.equal(gpiod.value('gpiochip0', 17), '0 1', 'left inactive');
      t.equal(gpiod.holder('gpiochip0', 17), null, 'and released');
    },
  );

  t.test(
    `gpiod ${version}: the fail-safe plan kills the holder and sets the line inactive`,
    async (t) => {
      const gpiod = new FakeGpiod(version);
      t.teardown(() => gpiod.remove());
      const relays = relaysWith(gpiod);
      t.teardown(() => relays.stop().catch(() => {}));
      await relays.start();
      await relays.set('line-select', true);
      const holder = gpiod.holder('gpiochip0', 17);
      const plan = relays.failSafePlan();
      t.equal(plan?.kind, 'gpiod-reset');
      const before = performance.now();
      const outcome = executeFailSafePlan(plan!);
      const ms = performance.now() - before;
      t.ok(outcome.ok, outcome.detail);
      t.equal(gpiod.value('gpiochip0', 17), '0 1');
      await new Promise((r) => setTimeout(r, 50)); // let Node reap the killed child
      t.throws(() => process.kill(holder!, 0), 'the holder is gone');
      t.ok(ms < 1000);
      t.comment(`gpiod ${version}: fail-safe release took ${ms.toFixed(1)} ms`);
    },
  );
}

t.test('a gpioset that cannot hold its line is a typed error with its stderr', async (t) => {
  const gpiod = new FakeGpiod('2.1.3');
  t.teardown(() => gpiod.remove());
  const first = relaysWith(gpiod);
  await first.start();
  t.teardown(() => first.stop());
  await t.rejects(relaysWith(gpiod, 1000).start(), {
    code: 'GPIO_GPIOD_FAILED',
    message: /resource busy/,
  });
});

t.test('missing tools and a board without a Pi header chip are typed errors', async (t) => {
  const missing = new GpiodTools({ gpioset: '/nonexistent/gpioset' });
  await t.rejects(missing.probe(), { code: 'GPIO_GPIOD_FAILED', message: /apt install gpiod/ });
  const gpiod = new FakeGpiod('2.1.3', 'gpiochip0 [gpio-mockup-A] (8 lines)\n');
  t.teardown(() => gpiod.remove());
  await t.rejects(relaysWith(gpiod).start(), {
    code: 'GPIO_CHIP_NOT_FOUND',
    message: /gpio-mockup-A/,
  });
});

t.test('probing: character device with tools, else sysfs, else a clear error', async (t) => {
  const gpiod = new FakeGpiod('2.1.3');
  t.teardown(() => gpiod.remove());
  const dir = mkdtempSync(join(tmpdir(), 'lk-probe-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const dev = join(dir, 'dev');
  const sysfs = join(dir, 'gpio');
  mkdirSync(dev);
  mkdirSync(sysfs);
  const tools = new GpiodTools({ gpioset: gpiod.gpioset, gpiodetect: gpiod.gpiodetect });
  const noTools = new GpiodTools({ gpioset: join(dir, 'no-gpioset') });

  await t.rejects(probeRelayDriver({ devDir: dev, sysfsRoot: sysfs, tools }), {
    code: 'GPIO_UNAVAILABLE',
    message: /neither/,
  });
  writeFileSync(join(sysfs, 'export'), '');
  t.equal(await probeRelayDriver({ devDir: dev, sysfsRoot: sysfs, tools }), 'sysfs');
  writeFileSync(join(dev, 'gpiochip0'), '');
  t.equal(await probeRelayDriver({ devDir: dev, sysfsRoot: sysfs, tools }), 'gpiochip');
  t.equal(
    await probeRelayDriver({ devDir: dev, sysfsRoot: sysfs, tools: noTools }),
    'sysfs',
    'no tools: sysfs',
  );
  rmSync(join(sysfs, 'export'));
  await t.rejects(probeRelayDriver({ devDir: dev, sysfsRoot: sysfs, tools: noTools }), {
    code: 'GPIO_UNAVAILABLE',
    message: /apt install gpiod/,
  });
});
