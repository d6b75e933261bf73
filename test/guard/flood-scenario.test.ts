import t from 'tap';
import { runFloodScenario } from '../../src/guard/simulated/flood-scenario.js';
import { loadFlow } from '../../src/ivr/parse-flow.js';

const flow = loadFlow('builtin:clinic').flow;

// Seeds not used while the guard was developed (which used 1-40 and 1001-1040); the full run of
// 40+ seeds is `npm run bench:flood -- --seed 2001 --seeds 40`.
for (const seed of [7001, 7002, 7003]) {
  t.test(
    `flood simulation, seed ${seed}: no bot past the challenge, every person through`,
    async (t) => {
      const r = await runFloodScenario({
        flow,
        seed,
        botCalls: 500,
        botNumbers: 20,
        humans: 50,
        knownHumans: 20,
      });
      t.equal(r.bots.calls, 500);
      t.equal(r.bots.passedChallenge, 0, 'bots past the challenge');
      t.equal(r.humans.notThrough, 0, 'people who gave up');
      t.equal(r.humans.knownChallenged, 0, 'known patients challenged');
      t.ok(
        r.bots.reachedBeforeDetection <= 2,
        `bots before detection: ${r.bots.reachedBeforeDetection}`,
      );
      t.ok(
        r.alerts.some((a) => a.name === 'flood-started'),
        'the clinic was alerted',
      );
    },
  );
}

t.test('a normal day without bots raises no line-pressure flood', async (t) => {
  const r = await runFloodScenario({
    flow,
    seed: 7004,
    botCalls: 0,
    botNumbers: 20,
    humans: 50,
    knownHumans: 20,
  });
  t.equal(r.humans.notThrough, 0);
  t.equal(r.humans.knownChallenged, 0);
  t.notOk(
    r.alerts.some((a) => a.name === 'flood-started' && a.detail.startsWith('by line-pressure')),
    JSON.stringify(r.alerts),
  );
});
