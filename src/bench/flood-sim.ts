import { parseArgs } from 'node:util';
import { type FloodScenarioOptions, runFloodScenario } from '../guard/simulated/flood-scenario.js';
import type { FloodScenarioResult } from '../guard/simulated/flood-summary.js';
import { loadFlow } from '../ivr/parse-flow.js';

/**
 * The flood simulation: a clinic day on one simulated line with 500 bot calls from 20 numbers
 * and 50 people, through the real CallSession, flow runner, flood guard and challenge, on a
 * virtual clock. Prints how many bots got to a menu or a person and how many people were
 * delayed; exits 1 when a bot passed the challenge or a person never got through.
 *
 *   node dist/bench/flood-sim.js [--seed 1] [--seeds 10] [--json] [--flow examples/clinic.yaml]
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    seeds: { type: 'string', default: '1' },
    bots: { type: 'string', default: '500' },
    'bot-numbers': { type: 'string', default: '20' },
    humans: { type: 'string', default: '50' },
    known: { type: 'string', default: '20' },
    flow: { type: 'string', default: 'builtin:clinic' },
    json: { type: 'boolean', default: false },
  },
});

const base: Omit<FloodScenarioOptions, 'seed'> = {
  flow: loadFlow(values.flow).flow,
  botCalls: Number(values.bots),
  botNumbers: Number(values['bot-numbers']),
  humans: Number(values.humans),
  knownHumans: Number(values.known),
};
const first = Number(values.seed);
let failed = false;
const results: (FloodScenarioResult & { seed: number; wallMs: number })[] = [];
for (let seed = first; seed < first + Number(values.seeds); seed++) {
  const began = performance.now();
  const result = await runFloodScenario({ ...base, seed });
  const wallMs = Math.round(performance.now() - began);
  results.push({ ...result, seed, wallMs });
  if (result.bots.passedChallenge > 0 || result.humans.notThrough > 0) failed = true;
  if (!values.json) print(result, seed, wallMs);
}
if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
else if (results.length > 1) printTotals(results);
process.exitCode = failed ? 1 : 0;

function print(r: FloodScenarioResult, seed: number, wallMs: number): void {
  const b = r.bots;
  const h = r.humans;
  const clock = (ms: number) => {
    const minutes = Math.round((ms - r.dayStartMs) / 60_000) + 8 * 60;
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  };
  const lines = [
    `flood simulation, seed ${seed} (${(wallMs / 1000).toFixed(1)} s wall time)`,
    `bots: ${b.calls} calls answered from ${base.botNumbers} numbers (${b.busyRedials} more found the line busy)`,
    `  reached a menu or a person: ${b.reachedMenuOrPerson} (a person: ${b.reachedPerson})`,
    `    past the challenge: ${b.passedChallenge}`,
    `    before the flood was detected (never challenged): ${b.reachedBeforeDetection}`,
    `  challenged ${b.challenged}, failed ${b.challengeFailed}; refused ${b.refused} ${JSON.stringify(b.refusedBy)}; admitted unchallenged ${b.admittedUnchallenged}`,
    `  line time taken by bots: ${b.lineMinutes} min`,
    `people: ${h.total} (${h.known} known numbers): through ${h.through}, not through ${h.notThrough}`,
    `  delayed: ${h.delayed} (challenged ${h.challenged}, of them known ${h.knownChallenged}; met a busy line ${h.metBusyLine}; refused ${h.refused}; most tries ${h.maxTries})`,
    `  first dial to first menu: median ${h.toMenuUndelayedMedianS} s undelayed; delayed median ${h.toMenuDelayedMedianS} s, max ${h.toMenuDelayedMaxS} s`,
    `alerts: ${r.alerts.filter((a) => a.name === 'flood-started').length} flood-started, ${r.alerts.filter((a) => a.name === 'caller-blocked').length} caller-blocked, ${r.alerts.filter((a) => a.name === 'flood-ended').length} flood-ended; ${r.blocksInForce} numbers blocked at the end`,
    ...r.alerts
      .filter((a) => a.name !== 'caller-blocked')
      .map((a) => `  ${clock(a.atMs)} ${a.name}: ${a.detail}`),
    `targets: 0 bots past the challenge ${b.passedChallenge === 0 ? 'MET' : 'MISSED'}; every person through ${h.notThrough === 0 ? 'MET' : 'MISSED'}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

/** Over all seeds: the figures the targets are about, worst seed included. */
function printTotals(rs: FloodScenarioResult[]): void {
  const total = (f: (r: FloodScenarioResult) => number) => rs.reduce((n, r) => n + f(r), 0);
  const worst = (f: (r: FloodScenarioResult) => number) => Math.max(...rs.map(f));
  const seedsWith = (f: (r: FloodScenarioResult) => number) => rs.filter((r) => f(r) > 0).length;
  const lines = [
    `over ${rs.length} seeds (${first}..${first + rs.length - 1}):`,
    `  bots past the challenge: ${total((r) => r.bots.passedChallenge)}`,
    `  bots that reached a menu or a person before being challenged: ${total((r) => r.bots.reachedBeforeDetection)} (most in one flood ${worst((r) => r.bots.reachedBeforeDetection)}; a person: ${total((r) => r.bots.reachedPerson)})`,
    `  people who never got through: ${total((r) => r.humans.notThrough)} (seeds with any: ${seedsWith((r) => r.humans.notThrough)}); known patients challenged: ${total((r) => r.humans.knownChallenged)}`,
    `  people challenged: ${total((r) => r.humans.challenged)} of ${total((r) => r.humans.total)}; most tries ${worst((r) => r.humans.maxTries)}; bot line time ${Math.round(total((r) => r.bots.lineMinutes) / rs.length)} min per flood`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
