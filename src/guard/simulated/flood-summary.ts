import type { GuardEvents, ScreenVerdict } from '../guard-events.js';

/** What happened on one answered call of the flood simulation. */
export interface CallStats {
  verdict: ScreenVerdict;
  challengePassed: boolean | null;
  /** A flow prompt (a menu, information) was played: more than disclosure and guard. */
  reachedMenu: boolean;
  reachedPerson: boolean;
  route: string;
  startedAtMs: number;
  /** When the first flow prompt started or the transfer began; null if never. */
  flowAtMs: number | null;
  /** How long the call held the line, rings included. */
  lineMs: number;
}

export interface HumanCall {
  known: boolean;
  firstAt: number;
  tries: ('busy' | 'missed' | CallStats)[];
  throughAt: number;
}

export interface FloodScenarioResult {
  bots: {
    calls: number;
    busyRedials: number;
    admittedUnchallenged: number;
    challenged: number;
    challengeFailed: number;
    passedChallenge: number;
    refused: number;
    refusedBy: Record<string, number>;
    reachedMenuOrPerson: number;
    reachedPerson: number;
    /** Bots that reached a menu without meeting a challenge (before the flood was noticed). */
    reachedBeforeDetection: number;
    lineMinutes: number;
  };
  humans: {
    total: number;
    known: number;
    through: number;
    notThrough: number;
    /** Did not reach a menu on their first try, or had to answer a challenge. */
    delayed: number;
    challenged: number;
    knownChallenged: number;
    metBusyLine: number;
    refused: number;
    /** Seconds from the first dial to the first menu, for people not delayed and delayed. */
    toMenuUndelayedMedianS: number;
    toMenuDelayedMedianS: number;
    toMenuDelayedMaxS: number;
    maxTries: number;
  };
  alerts: { name: keyof GuardEvents; atMs: number; detail: string }[];
  blocksInForce: number;
  dayStartMs: number;
}

export function summarize(input: {
  bots: CallStats[];
  botBusy: number;
  humanCalls: HumanCall[];
  alerts: FloodScenarioResult['alerts'];
  blocks: number;
  start: number;
}): FloodScenarioResult {
  const bots = input.bots;
  const refusedBy: Record<string, number> = {};
  for (const b of bots) {
    if (b.verdict.action === 'refuse')
      refusedBy[b.verdict.reason] = (refusedBy[b.verdict.reason] ?? 0) + 1;
  }
  const reached = (c: CallStats) => c.reachedMenu || c.reachedPerson;
  const humanAnswered = (h: HumanCall) =>
    h.tries.filter((x): x is CallStats => typeof x === 'object');
  const through = input.humanCalls.filter((h) => humanAnswered(h).some(reached));
  const challenged = input.humanCalls.filter((h) =>
    humanAnswered(h).some((c) => c.verdict.action === 'challenge'),
  );
  const delayed = input.humanCalls.filter(
    (h) => h.tries.length > 1 || humanAnswered(h).some((c) => c.verdict.action === 'challenge'),
  );
  const toMenuS = (people: HumanCall[]) =>
    people
      .filter((h) => through.includes(h))
      .map((h) => ((humanAnswered(h).find(reached)!.flowAtMs ?? h.firstAt) - h.firstAt) / 1000)
      .sort((a, b) => a - b);
  const delays = toMenuS(delayed);
  const undelayed = toMenuS(input.humanCalls.filter((h) => !delayed.includes(h)));
  const median = (xs: number[]) => Math.round(xs[Math.floor(xs.length / 2)] ?? 0);
  return {
    bots: {
      calls: bots.length,
      busyRedials: input.botBusy,
      admittedUnchallenged: bots.filter((b) => b.verdict.action === 'admit').length,
      challenged: bots.filter((b) => b.verdict.action === 'challenge').length,
      challengeFailed: bots.filter(
        (b) =>
          b.challengePassed === false ||
          (b.verdict.action === 'challenge' && b.challengePassed === null),
      ).length,
      passedChallenge: bots.filter((b) => b.challengePassed === true).length,
      refused: bots.filter((b) => b.verdict.action === 'refuse').length,
      refusedBy,
      reachedMenuOrPerson: bots.filter(reached).length,
      reachedPerson: bots.filter((b) => b.reachedPerson).length,
      reachedBeforeDetection: bots.filter((b) => reached(b) && b.verdict.action === 'admit').length,
      lineMinutes: Math.round(bots.reduce((sum, b) => sum + b.lineMs, 0) / 60_000),
    },
    humans: {
      total: input.humanCalls.length,
      known: input.humanCalls.filter((h) => h.known).length,
      through: through.length,
      notThrough: input.humanCalls.length - through.length,
      delayed: delayed.length,
      challenged: challenged.length,
      knownChallenged: challenged.filter((h) => h.known).length,
      metBusyLine: input.humanCalls.filter((h) => h.tries.includes('busy')).length,
      refused: input.humanCalls.filter((h) =>
        humanAnswered(h).some((c) => c.verdict.action === 'refuse'),
      ).length,
      toMenuUndelayedMedianS: median(undelayed),
      toMenuDelayedMedianS: median(delays),
      toMenuDelayedMaxS: Math.round(delays.at(-1) ?? 0),
      maxTries: Math.max(0, ...input.humanCalls.map((h) => h.tries.length)),
    },
    alerts: input.alerts,
    blocksInForce: input.blocks,
    dayStartMs: input.start,
  };
}
