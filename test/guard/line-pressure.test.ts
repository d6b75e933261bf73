import t from 'tap';
import { LinePressure, poissonAtLeast } from '../../src/guard/line-pressure.js';

const HOUR = 3_600_000;

t.test('the Poisson tail matches the closed forms', async (t) => {
  t.equal(poissonAtLeast(0, 3), 1);
  t.ok(Math.abs(poissonAtLeast(1, 0.5) - (1 - Math.exp(-0.5))) < 1e-12);
  const m = 0.2;
  t.ok(Math.abs(poissonAtLeast(2, m) - (1 - Math.exp(-m) * (1 + m))) < 1e-12);
  // A tail far below double rounding of 1 - sum is still exact when summed from k upwards.
  const tiny = poissonAtLeast(5, 0.001);
  t.ok(tiny > 8e-18 && tiny < 8.4e-18, String(tiny));
  t.equal(poissonAtLeast(3, 0), 0);
});

t.test('the evidence is the strongest run of recent calls, within the window', async (t) => {
  const p = new LinePressure(10 * 60_000);
  t.equal(p.pValue(0, 6), 1, 'no calls, no evidence');
  p.record(0, 30 * 60_000);
  t.ok(p.pValue(0, 6) > 0.9, 'a call after half an hour of quiet says nothing');
  p.record(60_000, 5_000);
  p.record(120_000, 5_000);
  const strong = p.pValue(120_000, 6);
  // Two calls within 10 s of idle line at 6 an hour: mean 1/60, P(N >= 2) ~ 1.4e-4.
  t.ok(strong > 1e-4 && strong < 2e-4, String(strong));
  t.ok(p.pValue(120_000, 60) > strong * 50, 'a line that is normally busy explains more');
  t.equal(p.pValue(120_000 + 10 * 60_000 + 60_001, 6), 1, 'old calls leave the window');
  p.record(HOUR, 1_000);
  p.reset();
  t.equal(p.pValue(HOUR, 6), 1);
});
