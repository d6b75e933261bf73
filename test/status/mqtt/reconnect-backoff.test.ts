import t from 'tap';
import { ReconnectBackoff } from '../../../src/status/mqtt/reconnect-backoff.js';

t.test('doubles up to the cap, with jitter between half and all of the step', async (t) => {
  const low = new ReconnectBackoff(1000, 60_000, () => 0);
  const high = new ReconnectBackoff(1000, 60_000, () => 1);
  const lows = Array.from({ length: 9 }, () => low.next());
  const highs = Array.from({ length: 9 }, () => high.next());
  t.same(highs, [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  t.same(lows, [1000, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  t.equal(high.failures, 9);
});

t.test('reset() starts again from the minimum after a good connection', async (t) => {
  const b = new ReconnectBackoff(50, 400, () => 1);
  b.next();
  b.next();
  b.next();
  b.reset();
  t.equal(b.next(), 50);
});

t.test('does not overflow after a very long outage', async (t) => {
  const b = new ReconnectBackoff(1000, 60_000, () => 0.5);
  for (let i = 0; i < 5000; i += 1) b.next();
  t.equal(b.next(), 45_000);
});
