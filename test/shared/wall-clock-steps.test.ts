import t from 'tap';
import { WallClockSteps } from '../../src/shared/wall-clock-steps.js';

t.test(
  'a step is wall time that monotonic time did not see; drift below the tolerance is none',
  async (t) => {
    let wall = 1_000_000;
    let mono = 50;
    const steps = new WallClockSteps({ wallNow: () => wall, monotonicNow: () => mono });
    wall += 10_000;
    mono += 10_000;
    t.equal(steps.step(), 0, 'time passing is no step');
    wall += 3_600_000;
    t.equal(steps.step(), 3_600_000, 'forward');
    t.equal(steps.step(), 0, 'reported once');
    wall -= 7_200_000;
    mono += 1000;
    t.equal(steps.step(), -7_201_000, 'back (the second that passed counted)');
    wall += 59_000;
    t.equal(steps.step(), 0, 'NTP slewing or jitter under a minute is not a step');
  },
);
