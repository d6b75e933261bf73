import { randomBytes } from 'node:crypto';
import t from 'tap';
import { CallDesk } from '../../src/appliance/call-desk.js';
import type { CallRecord } from '../../src/call/call-record.js';
import { loadFlow } from '../../src/ivr/parse-flow.js';
import { SimulatedCaller } from '../../src/line/simulated/simulated-caller.js';
import { SimulatedLine } from '../../src/line/simulated/simulated-line.js';
import { CallerPseudonymizer } from '../../src/privacy/caller-pseudonymizer.js';
import { silentLogger } from '../../src/shared/logger.js';
import { VirtualClock } from '../../src/shared/virtual-clock.js';
import type { CallStore } from '../../src/storage/call-store-port.js';

/** A store that fails (like a full disk) until `healthy` is set. */
class FlakyStore implements CallStore {
  readonly kind = 'flaky';
  readonly saved: CallRecord[] = [];
  healthy = false;
  async start() {}
  async stop() {}
  async saveCall(record: CallRecord) {
    if (!this.healthy)
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    this.saved.push(record);
  }
  async recentCalls() {
    return [...this.saved].reverse();
  }
  async countCallsSince() {
    return this.saved.length;
  }
  changeToken() {
    return this.saved.length;
  }
}

t.test(
  'records wait in memory while storage fails, and storage recovery is reported',
  async (t) => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 24, 9));
    const line = new SimulatedLine(clock);
    const store = new FlakyStore();
    const desk = new CallDesk({
      line,
      recognizer: null,
      store,
      clock,
      pseudonymizer: new CallerPseudonymizer(randomBytes(32)),
      logger: silentLogger(),
      flow: () => loadFlow('builtin:clinic').flow,
      answerOnRing: 2,
      emergencyNotice: null,
      maxCallMs: 600_000,
      storageRetryMs: 20,
    });
    const events: string[] = [];
    desk.events.on('call-save-failed', () => events.push('failed'));
    desk.events.on('call-saved', ({ record }) => events.push(`saved ${record.route}`));
    desk.events.on('storage-recovered', () => events.push('recovered'));
    await line.start();
    desk.start();
    t.teardown(() => desk.stop());

    for (const digits of ['0', '3']) {
      await clock.run(
        line.placeCall(
          new SimulatedCaller(line, null, clock, { steps: [{ kind: 'dtmf', digits }] }),
          null,
        ),
      );
      await clock.run(desk.settled());
    }
    t.same(store.saved, [], 'nothing stored while the disk is full');
    t.ok(events.includes('failed'));

    store.healthy = true;
    for (let i = 0; i < 100 && !events.includes('recovered'); i++)
      await new Promise((r) => setTimeout(r, 20));
    t.same(
      store.saved.map((r) => r.route),
      ['transfer:reception', 'info'],
      'both calls saved, in order, once',
    );
    t.equal(events.at(-1), 'recovered');
  },
);

t.test('a failing event store (full disk) never costs the call its record', async (t) => {
  const { FloodGuard } = await import('../../src/guard/flood-guard.js');
  const { DEFAULT_GUARD_SETTINGS } = await import('../../src/guard/guard-settings.js');
  const { seededRandom } = await import('../../src/guard/random-source.js');
  const clock = new VirtualClock(Date.UTC(2026, 10, 24, 9));
  const line = new SimulatedLine(clock);
  const store = new FlakyStore();
  store.healthy = true;
  const desk = new CallDesk({
    line,
    recognizer: null,
    store,
    clock,
    pseudonymizer: new CallerPseudonymizer(randomBytes(32)),
    logger: silentLogger(),
    flow: () => loadFlow('builtin:clinic').flow,
    answerOnRing: 2,
    emergencyNotice: null,
    maxCallMs: 600_000,
    screening: {
      guard: new FloodGuard({ settings: DEFAULT_GUARD_SETTINGS, clock }),
      challenge: DEFAULT_GUARD_SETTINGS.challenge,
      random: seededRandom(1),
    },
    callEvents: {
      append() {
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      },
    },
  });
  await line.start();
  desk.start();
  t.teardown(() => desk.stop());
  await clock.run(
    line.placeCall(
      new SimulatedCaller(line, null, clock, { steps: [{ kind: 'dtmf', digits: '3' }] }),
      { number: '+4930123456' },
    ),
  );
  await clock.run(desk.settled());
  t.same(
    store.saved.map((r) => r.route),
    ['info'],
  );
});
