import t from 'tap';
import { type DtmfPress, DtmfTracker } from '../../../src/line/modem/dtmf-tracker.js';
import { ManualClock } from './helpers/manual-clock.js';

function rig() {
  const clock = new ManualClock();
  const presses: DtmfPress[] = [];
  const tracker = new DtmfTracker(clock, 500, (press) => presses.push(press));
  return { clock, presses, tracker };
}

t.test('plain V.253: each digit is one press, at once', async (t) => {
  const { clock, presses, tracker } = rig();
  tracker.digit('1');
  await clock.advance(100);
  tracker.digit('1');
  t.same(presses, [
    { digit: '1', atMs: 0 },
    { digit: '1', atMs: 100 },
  ]);
});

t.test('Conexant start/stop gives the press time and duration', async (t) => {
  const { clock, presses, tracker } = rig();
  await clock.advance(1000);
  tracker.start();
  tracker.digit('7');
  await clock.advance(40);
  tracker.digit('7'); // repeated while held
  await clock.advance(80);
  tracker.end();
  t.same(presses, [{ digit: '7', atMs: 1000, durationMs: 120 }]);
});

t.test('a lost stop code never loses the digit', async (t) => {
  const { clock, presses, tracker } = rig();
  tracker.start();
  tracker.digit('#');
  await clock.advance(499);
  t.same(presses, []);
  await clock.advance(1);
  t.same(presses, [{ digit: '#', atMs: 0 }], 'released after the stop timeout');
  tracker.start();
  tracker.digit('1');
  tracker.start();
  tracker.digit('2');
  tracker.end();
  t.same(
    presses.map((p) => p.digit),
    ['#', '1', '2'],
    'next start releases a held digit',
  );
  tracker.start();
  tracker.digit('3');
  tracker.digit('4');
  tracker.flush();
  t.same(
    presses.map((p) => p.digit),
    ['#', '1', '2', '3', '4'],
    'a different digit in one bracket and flush() both release',
  );
  t.equal(clock.pending, 0);
});

t.test('stop without a digit and start without a digit are harmless', async (t) => {
  const { clock, presses, tracker } = rig();
  tracker.end();
  tracker.start();
  await clock.advance(1000);
  t.same(presses, []);
});
