import type { ProcessLife } from './appliance-supervisor.js';
import type { JudgedCall, Verdict } from './call-verdict.js';
import type { FaultKind, FaultRecord } from './fault-injector.js';
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
}

export function summarise(raw: SoakRaw): SoakReport {
  const verdicts: Record<Verdict, number> = {
    routed: 0,
    recorded: 0,
    misrouted: 0,
    'front-desk': 0,
    'cut-by-kill': 0,
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
    cpuMsPerCall: answered > 0 ? Math.round(cpuAfterReady / answered) : null,
    mqttCallEnded: raw.mqttCallEnded,
    httpRequests: raw.httpRequests,
    webLogins: raw.webLogins,
    workDir: raw.workDir,
    diskFullAvailable: raw.diskFullAvailable,
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

const s = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);
const mb = (kb: number | null) => (kb === null ? '-' : `${(kb / 1024).toFixed(1)} MB`);

export function formatReport(r: SoakReport): string {
  const v = r.verdicts;
  const lines = [
    `linekeeper soak (seed ${r.seed}, ${r.durationS} s, ${r.restarts} appliance restarts)`,
    `calls placed            ${r.placed}`,
    `answered                ${r.answered}`,
    `routed as scripted      ${v.routed}`,
    `recorded, cut by fault  ${v.recorded}`,
    `front desk (fail-safe)  ${v['front-desk']}`,
    `cut by SIGKILL mid-call ${v['cut-by-kill']}`,
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
    `RSS start ${mb(r.rssStartKb)}, end ${mb(r.rssEndKb)}; samples: ${r.rssTimeline.map((x) => `${x.atS}s=${mb(x.rssKb)}`).join(' ') || '-'}`,
    `event-loop delay p99 ${r.loopP99Ms ?? '-'} ms (max ${r.loopMaxMs ?? '-'} ms), worst process`,
    `CPU per answered call ${r.cpuMsPerCall ?? '-'} ms`,
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
