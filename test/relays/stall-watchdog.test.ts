import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import t, { type Test } from 'tap';
import { GpioRelays } from '../../src/relays/gpio-relays.js';
import { GpiochipBackend } from '../../src/relays/gpiochip/gpiochip-backend.js';
import { GpiodTools } from '../../src/relays/gpiochip/gpiod-tools.js';
import { SysfsBackend } from '../../src/relays/sysfs/sysfs-backend.js';
import { StallWatchdog } from '../../src/relays/watchdog/stall-watchdog.js';
import type { StallReport } from '../../src/relays/watchdog/stall-watchdog-protocol.js';
import { SystemClock } from '../../src/shared/clock.js';
import { FakeGpiod } from './fake-gpiod.js';
import { FakeSysfsTree } from './fake-sysfs-tree.js';

async function energisedLineSelect(t: Test) {
  const tree = new FakeSysfsTree().start();
  t.teardown(() => tree.stop());
  const relays = new GpioRelays(
    new SysfsBackend({ root: tree.root, activeLow: true }),
    { pins: { 'line-select': 17 }, activeLow: true },
    new SystemClock(),
  );
  await relays.start();
  await relays.set('line-select', true);
  return { tree, relays };
}

/** Blocks this thread for `ms`, watching the pin; returns when it went to rest (ms into the stall). */
function stallWatching(tree: FakeSysfsTree, ms: number): number | null {
  const start = performance.now();
  let releasedAt: number | null = null;
  while (performance.now() - start < ms) {
    if (releasedAt === null && tree.level(529) === 1) releasedAt = performance.now() - start;
  }
  return releasedAt;
}

t.test('a 2 s event-loop stall puts the line on the front desk within a second', async (t) => {
  const { tree, relays } = await energisedLineSelect(t);
  const watchdog = new StallWatchdog({ plan: relays.failSafePlan(), stallMs: 500, checkMs: 20 });
  await watchdog.start();
  t.teardown(() => watchdog.stop());
  const trips: StallReport[] = [];
  watchdog.events.on('tripped', (r) => trips.push(r));
  await new Promise((r) => setTimeout(r, 200));
  t.equal(tree.level(529), 0, 'energised (active-low: pin low) before the stall');

  const releasedAfterMs = stallWatching(tree, 2000);
  t.ok(releasedAfterMs !== null, 'released while the main thread was still blocked');
  t.ok(releasedAfterMs! < 1000, `released ${releasedAfterMs?.toFixed(1)} ms into the stall`);
  t.comment(
    `stall release latency: ${releasedAfterMs?.toFixed(1)} ms after the main thread blocked`,
  );
  t.equal(tree.file(529, 'value'), '0');
  t.ok(watchdog.tripped(), 'the shared flag is set at once');

  await new Promise((r) => setTimeout(r, 50));
  t.equal(trips.length, 1, 'the main thread hears about it once it runs again');
  t.ok(trips[0]?.ok);
  t.comment(`worker report: ${JSON.stringify(trips[0])}`);
});

t.test('a busy but turning event loop never trips the watchdog', async (t) => {
  const { tree, relays } = await energisedLineSelect(t);
  const watchdog = new StallWatchdog({ plan: relays.failSafePlan(), stallMs: 500, checkMs: 20 });
  await watchdog.start();
  t.teardown(() => watchdog.stop());
  // 1.5 s of 200 ms blocking chunks: slow, but under the stall threshold each time.
  const end = performance.now() + 1500;
  while (performance.now() < end) {
    stallWatching(tree, 200);
    await new Promise((r) => setTimeout(r, 5));
  }
  t.equal(tree.level(529), 0, 'still energised');
  t.notOk(watchdog.tripped());
});

t.test('re-armed after a stall, the watchdog catches the next one too', async (t) => {
  const { tree, relays } = await energisedLineSelect(t);
  const watchdog = new StallWatchdog({ plan: relays.failSafePlan(), stallMs: 300, checkMs: 20 });
  await watchdog.start();
  t.teardown(() => watchdog.stop());
  t.ok(stallWatching(tree, 700) !== null);
  await new Promise((r) => setTimeout(r, 100));
  watchdog.rearm();
  await relays.set('line-select', true);
  t.equal(tree.level(529), 0, 'energised again');
  const second = stallWatching(tree, 1200);
  t.ok(second !== null && second < 1000, `second stall released after ${second?.toFixed(1)} ms`);
});

t.test('after stop() a silent main thread is not a stall', async (t) => {
  const { tree, relays } = await energisedLineSelect(t);
  const watchdog = new StallWatchdog({ plan: relays.failSafePlan(), stallMs: 200, checkMs: 20 });
  await watchdog.start();
  await watchdog.stop();
  t.equal(stallWatching(tree, 600), null);
  t.equal(readFileSync(`${tree.root}/gpio529/value`, 'utf8'), '1');
});

t.test(
  'character device: the worker kills the gpioset holder and sets the line inactive',
  async (t) => {
    const gpiod = new FakeGpiod('2.1.3');
    t.teardown(() => gpiod.remove());
    const relays = new GpioRelays(
      new GpiochipBackend({
        tools: new GpiodTools({ gpioset: gpiod.gpioset, gpiodetect: gpiod.gpiodetect }),
        activeLow: false,
      }),
      { pins: { 'line-select': 17 }, activeLow: false },
      new SystemClock(),
    );
    await relays.start();
    t.teardown(() => relays.stop().catch(() => {}));
    await relays.set('line-select', true);
    const watchdog = new StallWatchdog({ plan: relays.failSafePlan(), stallMs: 500, checkMs: 20 });
    await watchdog.start();
    t.teardown(() => watchdog.stop());
    const start = performance.now();
    let releasedAt: number | null = null;
    while (performance.now() - start < 2000) {
      if (releasedAt === null && gpiod.value('gpiochip0', 17) === '0 0')
        releasedAt = performance.now() - start;
    }
    t.ok(
      releasedAt !== null && releasedAt < 1000,
      `released ${releasedAt?.toFixed(1)} ms into the stall`,
    );
    t.comment(`chardev stall release latency: ${releasedAt?.toFixed(1)} ms`);
  },
);
