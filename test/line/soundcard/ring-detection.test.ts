import t from 'tap';
import { buildMdmf } from '../../../src/callerid/caller-id-message.js';
import { renderCallerIdFsk } from '../../../src/callerid/fsk-modulator.js';
import { RingDetector } from '../../../src/line/soundcard/ring-detector.js';
import { SimulatedRingInput } from '../../../src/line/soundcard/simulated/simulated-ring-input.js';
import {
  DEFAULT_RING_OPTIONS,
  resolveSoundcardOptions,
} from '../../../src/line/soundcard/soundcard-options.js';
import { ManualClock } from '../modem/helpers/manual-clock.js';
import { callerIdAudio, SoundcardRig } from './helpers/soundcard-rig.js';

function detector() {
  const clock = new ManualClock();
  const input = new SimulatedRingInput(clock);
  const rings: { count: number; atMs: number }[] = [];
  let gone = 0;
  const d = new RingDetector(clock, DEFAULT_RING_OPTIONS, {
    ring: (count, atMs) => rings.push({ count, atMs }),
    gone: () => gone++,
  });
  input.events.on('edge', ({ active, atMs }) => d.edge(active, atMs));
  return { clock, input, rings, gone: () => gone };
}

t.test(
  'cadences: one ring per burst, double rings merged, count resets after the gap',
  async (t) => {
    const cases: [string, number[], number, { pulseHz?: number; bounceEdges?: number }][] = [
      ['US 2 s on / 4 s off, 20 Hz', [2000, 4000], 3, {}],
      ['DE 1 s / 4 s, 25 Hz, bouncing contacts', [1000, 4000], 3, { pulseHz: 25, bounceEdges: 3 }],
      ['UK double ring 0.4/0.2/0.4/2.0, 25 Hz', [400, 200, 400, 2000], 3, { pulseHz: 25 }],
      ['US distinctive 0.8/0.4/0.8/4.0, 16 Hz', [800, 400, 800, 4000], 2, { pulseHz: 16 }],
      ['full-wave detector, 50 Hz pulses', [2000, 4000], 2, { pulseHz: 50 }],
    ];
    for (const [label, pattern, cycles, options] of cases) {
      const { clock, input, rings, gone } = detector();
      const end = input.cadence(pattern, cycles, 0, options);
      await clock.advance(end + 100);
      t.same(
        rings.map((r) => r.count),
        Array.from({ length: cycles }, (_, i) => i + 1),
        label,
      );
      t.ok(rings[0]!.atMs < 10, `${label}: the ring is counted from its first pulse`);
      await clock.advance(DEFAULT_RING_OPTIONS.ringGapMs);
      t.equal(gone(), 1, `${label}: rings stopped reported once`);
      input.burst(1000);
      await clock.advance(1200);
      t.equal(rings.at(-1)!.count, 1, `${label}: next call starts at ring 1`);
    }
  },
);

t.test('spikes and steady levels', async (t) => {
  const { clock, input, rings } = detector();
  // A line reversal or hook transient: a few ms of activity, three times.
  for (let i = 0; i < 3; i++) {
    input.set(true);
    await clock.advance(8);
    input.set(false);
    await clock.advance(1000);
  }
  t.same(rings, [], 'short spikes are not rings');
  // A detector that holds its output for the whole burst.
  input.set(true);
  await clock.advance(2000);
  input.set(false);
  await clock.advance(4000);
  input.set(true);
  await clock.advance(2000);
  input.set(false);
  await clock.advance(500);
  t.same(
    rings.map((r) => r.count),
    [1, 2],
    'steady-level ring detector',
  );
});

t.test('options are checked', async (t) => {
  t.throws(() => resolveSoundcardOptions({ country: 'fr' as never }), { code: 'SOUNDCARD_CONFIG' });
  t.throws(() => resolveSoundcardOptions({ fskStandard: 'v21' as never }), {
    code: 'SOUNDCARD_CONFIG',
  });
  t.throws(() => resolveSoundcardOptions({ ring: { ringGapMs: 10 } }), /ring.ringGapMs/);
  t.equal(
    resolveSoundcardOptions({ country: 'uk' }).hookFlashMs,
    100,
    'timed-break recall outside the US',
  );
  t.equal(resolveSoundcardOptions({}).hookFlashMs, 500);
});

t.test(
  'UK: V.23 caller ID before the first ring, double ring, auto-answer on ring 2',
  async (t) => {
    const rig = new SoundcardRig({ options: { country: 'uk', answerOnRing: 2 } });
    t.teardown(() => rig.stop());
    await rig.start();
    rig.sendAt(
      0,
      callerIdAudio(
        { dateTime: { month: 1, day: 2, hour: 9, minute: 30 }, number: '01632960001' },
        'v23',
      ),
    );
    rig.ringInput.cadence([400, 200, 400, 2000], 2, 700, { pulseHz: 25, bounceEdges: 2 });
    t.ok(await rig.until(() => rig.line.state() === 'connected', 8000), 'answered by itself');
    t.same(rig.events('ring'), [{ count: 1 }, { count: 2 }], 'a double ring counts once');
    t.match(
      rig.events('callerId'),
      [{ number: '01632960001' }],
      'caller ID sent before ring 1 is kept for it',
    );
    const order = rig.recorded.filter((r) => r.event !== 'state').map((r) => r.event);
    t.same(
      order.slice(0, 3),
      ['ring', 'callerId', 'ring'],
      'reported with ring 1, as the session expects',
    );
    t.equal(rig.relays.get('hook'), true);
  },
);

t.test('damaged caller ID: no fields, a warning, the call still rings', async (t) => {
  const logs: string[] = [];
  const rig = new SoundcardRig({ logs });
  t.teardown(() => rig.stop());
  await rig.start();
  const message = buildMdmf({ number: '5550000' });
  message[4] = message[4]! ^ 0x10;
  rig.ringInput.cadence([2000, 4000], 2);
  rig.sendAt(2500, renderCallerIdFsk(message, { standard: 'bell202' }));
  t.ok(await rig.until(() => rig.events('ring').length === 2, 10000));
  await rig.clock.advance(1000);
  t.same(rig.events('callerId'), [], 'no caller ID from a bad checksum');
  t.match(logs.join('\n'), /CALLER_ID_CHECKSUM/);
  t.equal(rig.line.state(), 'ringing');
});

t.test('rings stop before anyone answers: back to idle', async (t) => {
  const rig = new SoundcardRig();
  t.teardown(() => rig.stop());
  await rig.start();
  rig.ringInput.cadence([2000, 4000], 2);
  t.ok(
    await rig.until(() => rig.line.state() === 'idle' && rig.events('ring').length === 2, 20000),
  );
  t.match(rig.recorded.at(-1), {
    event: 'state',
    payload: { state: 'idle', detail: /rings stopped/ },
  });
});
