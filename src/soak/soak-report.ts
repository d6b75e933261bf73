import type { ProcessLife } from './appliance-supervisor.js';
import type { BotCall, BotOutcome } from './bot-burst.js';
import type { JudgedCall, Verdict } from './call-verdict.js';
import type { CsvExportFigures } from './csv-exporter.js';
import type { FaultKind, FaultRecord } from './fault-injector.js';
import type { FlowEditFigures, StaleFlowCall } from './flow-editor.js';
import type { SoakOptions } from './soak-run.js';
import { maxOf, median } from './soak-stats.js';

export interface FaultFigures {
  kind: FaultKind;
  count: number;
  /** Injection to line-select on the front desk (ms). */
  failSafeMedianMs: number | null;
  failSafeMaxMs: number | null;
  /** Fault undone to appliance whole again (ms). */
  recoveryMedianMs: number | null;
  recoveryMaxMs: number | null;
  notRecovered: number;
  notes: string[];
}

export interface SoakReport {
  seed: number;
  durationS: number;
  placed: number;
  answered: number;
  verdicts: Record<Verdict, number>;
  lost: number;
  lostCalls: { index: number; script: string; faults: FaultKind[]; why: string }[];
  misrouted: { index: number; script: string; expected: string[]; route: string }[];
  recordsLostAfterKills: number;
  recordsCheckedAfterKills: number;
  missingAtEnd: string[];
  recordsCheckedAtEnd: number;
  faults: FaultFigures[];
  restarts: number;
  rssStartKb: number | null;
  rssEndKb: number | null;
  rssTimeline: { atS: number; pid: number; rssKb: number }[];
  loopP99Ms: number | null;
  loopMaxMs: number | null;
  cpuMsPerCall: number | null;
  mqttCallEnded: number;
  httpRequests: number;
  webLogins: number;
  workDir: string;
  diskFullAvailable: boolean;
  clockJumpAvailable: boolean;
  /** Records whose duration is negative or longer than the call the harness saw (clock jumps). */
  badDurations: { index: number; durationS: number; observedS: number; faults: FaultKind[] }[];
  bots: {
    placed: number;
    outcomes: Record<BotOutcome, number>;
    floodsStarted: number;
    callersBlocked: number;
    /** Patients' calls placed while a flood was on, and how many reached their route. */
    humansDuringFlood: number;
    humansDuringFloodRouted: number;
    /** Calls of allow-listed regulars that met the challenge anyway (must be 0). */
    knownChallenged: number[];
  };
  csv: CsvExportFigures;
  flowEdits: FlowEditReport;
}

export interface FlowEditReport extends FlowEditFigures {
  /** Answered calls whose record's flow version was read from the database. */
  callsChecked: number;
  /** Calls taken by a flow version that was not in effect when they were answered. */
  staleCalls: StaleFlowCall[];
}

export interface SoakRaw {
  options: SoakOptions;
  startedAt: number;
  endedAt: number;
  calls: JudgedCall[];
  faults: FaultRecord[];
  lives: ProcessLife[];
  rssTimeline: SoakReport['rssTimeline'];
  endRssKb: number | null;
  recordsCheckedAtEnd: number;
  missingAtEnd: string[];
  mqttCallEnded: number;
  httpRequests: number;
  webLogins: number;
  workDir: string;
  diskFullAvailable: boolean;
  clockJumpAvailable: boolean;
  duringFlood: number[];
  /** Indices of calls from allow-listed regulars. */
  knownCallers: number[];
  bots: BotCall[];
  floodsStarted: number;
  callersBlocked: number;
  csv: CsvExportFigures;
  flowEdits: FlowEditReport;
}

/** Slack for the harness seeing answer and hang-up later than the appliance did. */
const DURATION_SLACK_S = 10;

function badDurations(calls: readonly JudgedCall[]): SoakReport['badDurations'] {
  return calls.flatMap((c) => {
    if (!c.record || c.answeredAt === null) return [];
    const observedS = (c.endedAt - c.ringAt) / 1000;
    const durationS = c.record.durationSeconds;
    return durationS < 0 || durationS > observedS + DURATION_SLACK_S
      ? [{ index: c.index, durationS, observedS: Math.round(observedS), faults: c.faults }]
      : [];
  });
}

function botFigures(raw: SoakRaw): SoakReport['bots'] {
  const outcomes: Record<BotOutcome, number> = {
    'hung-up': 0,
    admitted: 0,
    'challenge-failed': 0,
    refused: 0,
    'passed-challenge': 0,
    'not-answered': 0,
  };
  for (const bot of raw.bots) outcomes[bot.outcome]++;
  const flooded = raw.calls.filter((c) => raw.duringFlood.includes(c.index));
  return {
    placed: raw.bots.length,
    outcomes,
    floodsStarted: raw.floodsStarted,
    callersBlocked: raw.callersBlocked,
    humansDuringFlood: flooded.length,
    humansDuringFloodRouted: flooded.filter((c) => c.verdict === 'routed').length,
    knownChallenged: raw.calls
      .filter((c) => c.challenged && raw.knownCallers.includes(c.index))
      .map((c) => c.index),
  };
}

export function summarise(raw: SoakRaw): SoakReport {
  const verdicts: Record<Verdict, number> = {
    routed: 0,
    recorded: 0,
    misrouted: 0,
    'front-desk': 0,
    'cut-by-kill': 0,
    challenged: 0,
    lost: 0,
  };
  for (const call of raw.calls) verdicts[call.verdict]++;
  const kills = raw.faults.filter((f) => f.kind === 'appliance-kill');
  const answered = raw.calls.filter((c) => c.answeredAt !== null).length;
  const ready = raw.lives.filter((l) => l.lastSample);
  // CPU while serving calls: each process's CPU after it was ready, over the calls answered.
  const cpuAfterReady = ready.reduce(
    (sum, l) => sum + (l.lastSample!.cpuMs - (l.firstSample?.cpuMs ?? 0)),
    0,
  );
  const loops = raw.lives.map((l) => l.loop).filter((l) => l !== null);
  const botsAnswered = raw.bots.filter((b) => b.outcome !== 'not-answered').length;
  return {
    seed: raw.options.seed,
    durationS: Math.round((raw.endedAt - raw.startedAt) / 1000),
    placed: raw.calls.length,
    answered,
    verdicts,
    lost: verdicts.lost,
    lostCalls: raw.calls
      .filter((c) => c.verdict === 'lost')
      .map((c) => ({
        index: c.index,
        script: c.plan.script,
        faults: c.faults,
        why:
          c.answeredAt === null
            ? 'rang unanswered while line-select was on the appliance'
            : 'answered but no record appeared',
      })),
    misrouted: raw.calls
      .filter((c) => c.verdict === 'misrouted')
      .map((c) => ({
        index: c.index,
        script: c.plan.script,
        expected: c.expected,
        route: c.record?.route ?? '?',
      })),
    recordsLostAfterKills: kills.reduce((n, f) => n + (f.recordsMissing?.length ?? 0), 0),
    recordsCheckedAfterKills: kills.reduce((n, f) => n + (f.recordsChecked ?? 0), 0),
    missingAtEnd: raw.missingAtEnd,
    recordsCheckedAtEnd: raw.recordsCheckedAtEnd,
    faults: faultFigures(raw.faults),
    restarts: raw.lives.length - 1,
    rssStartKb: raw.lives[0]?.firstSample?.rssKb ?? null,
    rssEndKb: raw.endRssKb,
    rssTimeline: raw.rssTimeline,
    loopP99Ms: maxOf(loops.map((l) => l.p99Ms)),
    loopMaxMs: maxOf(loops.map((l) => l.maxMs)),
    // Bot calls are answered too (and cost prompts and a challenge): count them in.
    cpuMsPerCall:
      answered + botsAnswered > 0 ? Math.round(cpuAfterReady / (answered + botsAnswered)) : null,
    mqttCallEnded: raw.mqttCallEnded,
    httpRequests: raw.httpRequests,
    webLogins: raw.webLogins,
    workDir: raw.workDir,
    diskFullAvailable: raw.diskFullAvailable,
    clockJumpAvailable: raw.clockJumpAvailable,
    badDurations: badDurations(raw.calls),
    bots: botFigures(raw),
    csv: raw.csv,
    flowEdits: raw.flowEdits,
  };
}

function faultFigures(faults: readonly FaultRecord[]): FaultFigures[] {
  const kinds = [...new Set(faults.map((f) => f.kind))];
  return kinds.map((kind) => {
    const of = faults.filter((f) => f.kind === kind);
    const failSafe = of
      .filter((f) => f.failSafeAt !== null)
      .map((f) => f.failSafeAt! - f.injectedAt);
    const recovery = of
      .filter((f) => f.recoveredAt !== null && f.clearedAt !== null)
      .map((f) => f.recoveredAt! - f.clearedAt!);
    return {
      kind,
      count: of.length,
      failSafeMedianMs: median(failSafe),
      failSafeMaxMs: maxOf(failSafe),
      recoveryMedianMs: median(recovery),
      recoveryMaxMs: maxOf(recovery),
      notRecovered: of.filter((f) => f.recoveredAt === null).length,
      notes: of.flatMap((f) => (f.note ? [f.note] : [])),
    };
  });
}

type RssSample = SoakReport['rssTimeline'][number];
const MAX_RSS_POINTS = 13;
/** Warm-up: prompts are synthesised and caches fill in the first minutes of a process. */
const WARM_UP_S = 120;

/** At most MAX_RSS_POINTS samples, evenly spaced, always with the last one. */
function thin(timeline: readonly RssSample[]): RssSample[] {
  if (timeline.length <= MAX_RSS_POINTS) return [...timeline];
  const step = (timeline.length - 1) / (MAX_RSS_POINTS - 1);
  return Array.from({ length: MAX_RSS_POINTS }, (_, k) => timeline[Math.round(k * step)]!);
}

function rssStepS(r: SoakReport): number {
  const t = thin(r.rssTimeline);
  return t.length > 1 ? Math.round((t[t.length - 1]!.atS - t[0]!.atS) / (t.length - 1)) : 0;
}

/** Per process that lived past its warm-up: the RSS range after it (a leak shows as a climb). */
export function flatness(timeline: readonly RssSample[]) {
  const pids = [...new Set(timeline.map((x) => x.pid))];
  return pids.flatMap((pid) => {
    const of = timeline.filter((x) => x.pid === pid);
    const warm = of.filter((x) => x.atS - of[0]!.atS >= WARM_UP_S);
    if (warm.length < 2) return [];
    const kb = warm.map((x) => x.rssKb);
    return [
      {
        pid,
        samples: warm.length,
        spanS: warm[warm.length - 1]!.atS - warm[0]!.atS,
        minKb: Math.min(...kb),
        maxKb: Math.max(...kb),
        firstKb: kb[0]!,
        lastKb: kb[kb.length - 1]!,
      },
    ];
  });
}

const s = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);
const mb = (kb: number | null) => (kb === null ? '-' : `${(kb / 1024).toFixed(1)} MB`);

export function formatReport(r: SoakReport): string {
  const v = r.verdicts;
  const b = r.bots;
  const lines = [
    `linekeeper soak (seed ${r.seed}, ${r.durationS} s, ${r.restarts} appliance restarts)`,
    `calls placed            ${r.placed}`,
    `answered                ${r.answered}`,
    `routed as scripted      ${v.routed}`,
    `recorded, cut by fault  ${v.recorded}`,
    `front desk (fail-safe)  ${v['front-desk']}`,
    `cut by SIGKILL mid-call ${v['cut-by-kill']}`,
    `new caller challenged  ${v.challenged} (the harness cannot hear the digits)`,
    `misrouted (no fault)    ${v.misrouted}`,
    `LOST                    ${r.lost}`,
    `committed records lost after kills: ${r.recordsLostAfterKills} of ${r.recordsCheckedAfterKills} checked`,
    `records missing at end:             ${r.missingAtEnd.length} of ${r.recordsCheckedAtEnd}`,
    'faults (count; injected -> front desk median/max; undone -> recovered median/max)',
    ...r.faults.map(
      (f) =>
        `  ${f.kind.padEnd(15)} ${f.count}; fail-safe ${s(f.failSafeMedianMs)}/${s(f.failSafeMaxMs)}; recovery ${s(f.recoveryMedianMs)}/${s(f.recoveryMaxMs)}${f.notRecovered ? `; NOT RECOVERED ${f.notRecovered}` : ''}${f.notes.length ? `; ${[...new Set(f.notes)].join('; ')}` : ''}`,
    ),
    ...(r.diskFullAvailable
      ? []
      : ['  disk-full       skipped (--no-disk-full, or not root: it needs a small tmpfs mount)']),
    ...(r.clockJumpAvailable
      ? []
      : [
          '  clock-jump      skipped (--no-clock-jumps, or libfaketime missing: apt-get install faketime)',
        ]),
    `records with impossible durations (clock jumps): ${r.badDurations.length}`,
    `bot calls ${b.placed}: hung up at once ${b.outcomes['hung-up']}, let into the flow before the flood was noticed ${b.outcomes.admitted}, challenged and failed ${b.outcomes['challenge-failed']}, refused ${b.outcomes.refused}, not answered ${b.outcomes['not-answered']}, PASSED THE CHALLENGE ${b.outcomes['passed-challenge']}`,
    `floods noticed ${b.floodsStarted}; numbers blocked ${b.callersBlocked}; regulars' and patients' calls during a flood ${b.humansDuringFlood}, routed as scripted ${b.humansDuringFloodRouted}; allow-listed regulars challenged ${b.knownChallenged.length}`,
    `CSV exports during calls ${r.csv.attempts} (max ${r.csv.maxRows} rows, slowest ${s(r.csv.maxMs)}): errors ${r.csv.errors}${Object.keys(r.csv.errorsDuringFaults).length ? `; during faults ${JSON.stringify(r.csv.errorsDuringFaults)}` : ''}; skipped while the process was down ${r.csv.whileDown}`,
    ...r.csv.samples.map((e) => `  CSV: ${e}`),
    `flow edits saved on /flows ${r.flowEdits.saves}: errors ${r.flowEdits.errors}${Object.keys(r.flowEdits.errorsDuringFaults).length ? `; during faults ${JSON.stringify(r.flowEdits.errorsDuringFaults)}` : ''}; acknowledged edits lost ${r.flowEdits.editsLost}; calls taken by a stale flow ${r.flowEdits.staleCalls.length} of ${r.flowEdits.callsChecked} checked; slowest save ${s(r.flowEdits.maxMs)}; skipped while down ${r.flowEdits.whileDown}`,
    ...r.flowEdits.samples.map((e) => `  flow edit: ${e}`),
    ...r.flowEdits.staleCalls.map(
      (c) => `  call #${c.index} taken by flow ${c.flow}, expected ${c.expected.join('|')}`,
    ),
    ...r.badDurations.map(
      (d) =>
        `  call #${d.index}: recorded duration ${d.durationS} s, the harness saw ${d.observedS} s (faults ${d.faults.join(',') || 'none'})`,
    ),
    `RSS start ${mb(r.rssStartKb)}, end ${mb(r.rssEndKb)}; every ${rssStepS(r)} s: ${thin(
      r.rssTimeline,
    )
      .map((x) => `${x.atS}s=${mb(x.rssKb)}`)
      .join(' ')}`,
    ...flatness(r.rssTimeline).map(
      (f) =>
        `  pid ${f.pid}: ${f.samples} samples over ${f.spanS} s after warm-up, ${mb(f.minKb)}..${mb(f.maxKb)} (spread ${mb(f.maxKb - f.minKb)}), first ${mb(f.firstKb)} last ${mb(f.lastKb)}`,
    ),
    `event-loop delay p99 ${r.loopP99Ms ?? '-'} ms (max ${r.loopMaxMs ?? '-'} ms), worst process`,
    `CPU per answered call ${r.cpuMsPerCall ?? '-'} ms (bot calls included)`,
    `MQTT call-ended events seen ${r.mqttCallEnded}; HTTP requests ${r.httpRequests} (web logins ${r.webLogins})`,
    ...r.lostCalls.map(
      (c) =>
        `  lost call #${c.index} (${c.script}, faults ${c.faults.join(',') || 'none'}): ${c.why}`,
    ),
    ...r.misrouted.map(
      (c) =>
        `  misrouted call #${c.index} (${c.script}): ${c.route}, expected ${c.expected.join('|')}`,
    ),
  ];
  return lines.join('\n');
}

/** What must hold for a run to pass: nothing lost, no bot through, no broken record or export. */
export function soakPassed(r: SoakReport): boolean {
  return (
    r.lost === 0 &&
    r.recordsLostAfterKills === 0 &&
    r.missingAtEnd.length === 0 &&
    r.misrouted.length === 0 &&
    r.badDurations.length === 0 &&
    r.bots.outcomes['passed-challenge'] === 0 &&
    r.bots.knownChallenged.length === 0 &&
    r.csv.errors === 0 &&
    r.flowEdits.errors === 0 &&
    r.flowEdits.editsLost === 0 &&
    r.flowEdits.staleCalls.length === 0
  );
}
