import { performance } from 'node:perf_hooks';
import t from 'tap';
import { SimulatedLine } from '../../src/line/simulated/simulated-line.js';
import { SimulatedRelays } from '../../src/relays/simulated/simulated-relays.js';
import { LineHealthGuard } from '../../src/relays/watchdog/line-health-guard.js';
import type { StallReport } from '../../src/relays/watchdog/stall-watchdog-protocol.js';
import { TypedEmitter } from '../../src/shared/typed-emitter.js';
import { StepClock } from './step-clock.js';

async function healthyGuard(clock = new StepClock(), recoverAfterMs: number | null = null) {
  const relays = new SimulatedRelays(clock);
  const line = new SimulatedLine(clock);
  const changes: string[] = [];
  const guard = new LineHealthGuard({
    relays,
    clock,
    recoverAfterMs,
    onChange: (c) =>
      changes.push(`${c.energised ? 'appliance' : 'front-desk'} ${c.reasons.join(',')}`),
  });
  guard.watchLine(line);
  await line.start();
  await guard.clear('not-started');
  return { relays, line, guard, changes, clock };
}

t.test('line-select waits for a started appliance and a live line driver', async (t) => {
  const clock = new StepClock();
  const relays = new SimulatedRelays(clock);
  const line = new SimulatedLine(clock);
  const guard = new LineHealthGuard({ relays, clock });
  guard.watchLine(line);
  await guard.clear('not-started');
  t.equal(relays.get('line-select'), false, 'line driver still down');
  t.same(guard.reasons(), ['line-down']);
  await line.start();
  await guard.settled();
  t.equal(relays.get('line-select'), true);
});

t.test(
  'the line driver going down releases line-select at once, and back up restores it',
  async (t) => {
    const { relays, line, guard, changes } = await healthyGuard();
    t.equal(relays.get('line-select'), true);
    const before = performance.now();
    await line.stop();
    await guard.settled();
    const latencyMs = performance.now() - before;
    t.equal(relays.get('line-select'), false);
    t.ok(latencyMs < 1000);
    t.comment(`line down -> line-select released in ${latencyMs.toFixed(2)} ms`);
    t.same(changes, ['appliance ', 'front-desk line-down']);
    await line.start();
    await guard.settled();
    t.equal(relays.get('line-select'), true, 'the driver reconnected');
  },
);

t.test(
  'storage failure and a forced front desk each hold the line off independently',
  async (t) => {
    const { relays, guard } = await healthyGuard();
    await guard.release('storage-failed');
    t.equal(relays.get('line-select'), false);
    await guard.release('front-desk-forced');
    await guard.clear('front-desk-forced');
    t.equal(
      relays.get('line-select'),
      false,
      'clearing the override does not mask the storage failure',
    );
    t.same(guard.reasons(), ['storage-failed']);
  },
);

t.test(
  'a watchdog trip releases, refuses re-energising until re-armed, then recovers on the clock',
  async (t) => {
    const clock = new StepClock();
    const { relays, guard } = await healthyGuard(clock, 30_000);
    const events = new TypedEmitter<{ tripped: StallReport }>();
    let tripped = false;
    let rearmed = 0;
    guard.watchStalls({
      events,
      tripped: () => tripped,
      rearm: () => {
        tripped = false;
        rearmed++;
      },
    });
    tripped = true; // the worker set the shared flag while the main thread was stuck
    await guard.clear('front-desk-forced');
    t.equal(relays.get('line-select'), false, 'a queued re-energise after the stall is refused');
    events.emit('tripped', { stalledMs: 520, releaseMs: 1, ok: true, detail: 'test' });
    await guard.settled();
    t.same(guard.reasons(), ['event-loop-stalled']);
    clock.advance(29_999);
    await new Promise((r) => setTimeout(r, 5));
    t.equal(rearmed, 0);
    t.equal(relays.get('line-select'), false);
    clock.advance(1);
    await new Promise((r) => setTimeout(r, 5));
    await guard.settled();
    t.equal(rearmed, 1);
    t.equal(relays.get('line-select'), true, 'answered again after 30 s of a turning loop');
  },
);

t.test('a relay that cannot be switched is reported, not swallowed', async (t) => {
  const { relays, guard, changes } = await healthyGuard();
  relays.set = async () => {
    throw new Error('EIO');
  };
  const errors: unknown[] = [];
  const g2 = new LineHealthGuard({
    relays,
    clock: new StepClock(),
    onChange: (c) => c.error && errors.push(c.error),
  });
  await g2.clear('not-started');
  t.equal(errors.length, 0, 'no change wanted: line-select is already energised');
  await g2.release('storage-failed');
  t.match(String(errors[0]), /EIO/);
  t.ok(guard && changes.length > 0);
});
