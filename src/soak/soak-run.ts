import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ApplianceSupervisor } from './appliance-supervisor.js';
import { type BotCall, BotDialler } from './bot-burst.js';
import { type JudgedCall, judge } from './call-verdict.js';
import type { CallerPlan } from './caller-scripts.js';
import { CallerPlanner } from './caller-scripts.js';
import { ClockJumper } from './clock-jumper.js';
import { CsvExporter } from './csv-exporter.js';
import { DiskFiller } from './disk-filler.js';
import { EmulatedModemLink } from './emulated-modem-link.js';
import { FAULT_KINDS, FaultInjector, type FaultKind } from './fault-injector.js';
import { FlowEditor, staleFlowCalls } from './flow-editor.js';
import { MqttObserver } from './mqtt-observer.js';
import { findLateRecord, placeCall } from './place-call.js';
import { RecentCalls } from './recent-calls.js';
import { SeededRandom } from './seeded-random.js';
import { SoakBroker } from './soak-broker.js';
import { type SoakReport, summarise } from './soak-report.js';
import { SOAK_PER_CALLER, writeSoakFiles } from './soak-setup.js';
import { sleep, waitFor } from './soak-stats.js';
import { isHealthy, StatusMonitor } from './status-monitor.js';
import { WebSession } from './web-session.js';

export interface SoakOptions {
  calls: number;
  faults: number;
  seed: number;
  /** Kept after the run when given (appliance.log, the database); else a temp dir, removed. */
  workDir: string | null;
  /** systemd's RestartSec for the supervisor (the unit says 5 s; CI uses less). */
  restartDelayMs: number;
  /** Multiplies the pauses between calls: 1 is a busy morning compressed; 0 back to back. */
  gapScale: number;
  /** Try a small tmpfs dataDir so the disk can be filled (root only). */
  diskFull: boolean;
  /** Preload libfaketime so the wall clock can be stepped (skipped when it is not installed). */
  clockJumps: boolean;
  /** Bursts of robocalls spread over the run (each must set off the flood guard). */
  botBursts: number;
  /** Bot calls per burst at least (more while the guard has not noticed the flood). */
  botCallsPerBurst: number;
  /** A second browser downloads the call log as CSV this often while calls go on. */
  csvEveryMs: number;
  /** How often the admin saves a new version of the flow on /flows (0: never). */
  flowEditEveryMs: number;
  rssEveryMs: number;
  /** Stop placing calls after this much wall time (ms), so a long run ends when planned. */
  maxPlacingMs: number | null;
  /** Aborted (Ctrl-C): stop placing calls, finish the report and clean up. */
  stop: AbortSignal | null;
  progress: (line: string) => void;
}

export const DEFAULT_SOAK_OPTIONS: SoakOptions = {
  calls: 40,
  faults: 6,
  seed: 1,
  workDir: null,
  restartDelayMs: 1000,
  gapScale: 1,
  diskFull: true,
  clockJumps: true,
  botBursts: 1,
  botCallsPerBurst: 16,
  csvEveryMs: 4000,
  flowEditEveryMs: 45_000,
  rssEveryMs: 10_000,
  maxPlacingMs: null,
  stop: null,
  progress: () => {},
};

/** Runs the soak: the real appliance process, a day of callers, faults at random. */
export async function runSoak(input: Partial<SoakOptions> = {}): Promise<SoakReport> {
  const o = { ...DEFAULT_SOAK_OPTIONS, ...input };
  const random = new SeededRandom(o.seed);
  const dir = o.workDir ?? mkdtempSync(join(tmpdir(), 'linekeeper-soak-'));
  mkdirSync(dir, { recursive: true });
  const dataDir = join(dir, 'var');
  const cleanups: (() => Promise<void> | void)[] = [];
  const startedAt = Date.now();
  try {
    const link = new EmulatedModemLink(dir);
    await link.plug();
    cleanups.push(() => link.unplug());
    const broker = new SoakBroker(dir);
    await broker.start();
    cleanups.push(() => broker.stop());
    const disk = o.diskFull ? await DiskFiller.mountIfPossible(dataDir, 64) : null;
    if (disk) cleanups.push(() => disk.unmount());
    mkdirSync(dataDir, { recursive: true });
    const clock = o.clockJumps ? ClockJumper.ifAvailable(dir) : null;
    const files = writeSoakFiles(dir, dataDir, {
      modemDevice: link.devicePath,
      mqttUrl: broker.url,
      webPort: await freePort(),
    });
    const mqtt = new MqttObserver(broker.url, 'linekeeper/soak');
    mqtt.start();
    cleanups.push(() => mqtt.stop());
    const supervisor = new ApplianceSupervisor({
      configPath: files.configPath,
      logPath: join(dir, 'appliance.log'),
      loopFile: join(dir, 'loop-delay.json'),
      restartDelayMs: o.restartDelayMs,
      readyTimeoutMs: 90_000,
      ...(clock ? { extraEnv: clock.env } : {}),
    });
    cleanups.push(() => supervisor.stop());
    await supervisor.start();
    const web = new WebSession(() => supervisor.setupCode());
    const monitor = new StatusMonitor(() => supervisor.url, web);
    monitor.start();
    cleanups.push(() => monitor.stop());
    if (!(await waitFor(async () => isHealthy(await monitor.poll()), 60_000, 200)))
      throw new Error(`the appliance never took the line:\n${supervisor.tail()}`);

    const matched = new Set<string>();
    const database = join(dataDir, 'linekeeper.db');
    const injector = new FaultInjector({
      random,
      link,
      broker,
      mqtt,
      supervisor,
      monitor,
      disk,
      clock,
      acknowledgedIds: async () => {
        const listed = (await monitor.calls(500)) ?? [];
        return [...new Set([...matched, ...listed.map((c) => c.id)])];
      },
      missingFromDatabase: (ids) => missingIds(database, ids),
      maxHoldMs: 60_000,
      recoveryTimeoutMs: 90_000,
    });
    const kinds = FAULT_KINDS.filter(
      (k) => (disk || k !== 'disk-full') && (clock || k !== 'clock-jump'),
    );
    const schedule = faultSchedule(o.calls, o.faults, kinds, random);
    const rss: SoakReport['rssTimeline'] = [];
    const rssTimer = setInterval(() => {
      const life = supervisor.current;
      if (life?.lastSample && life.exitedAt === null)
        rss.push({
          atS: Math.round((Date.now() - startedAt) / 1000),
          pid: life.pid,
          rssKb: life.lastSample.rssKb,
        });
    }, o.rssEveryMs);
    cleanups.push(() => clearInterval(rssTimer));

    const csv = new CsvExporter({
      url: () => supervisor.url,
      setupCode: () => supervisor.setupCode(),
      recordsSeen: () => matched.size,
      activeFault: () => injector.activeKind,
    });
    csv.start(o.csvEveryMs);
    cleanups.push(() => csv.stop());
    const flowEditor = new FlowEditor({
      url: () => supervisor.url,
      setupCode: () => supervisor.setupCode(),
      activeFault: () => injector.activeKind,
    });
    flowEditor.start(o.flowEditEveryMs);
    cleanups.push(() => flowEditor.stop());

    const callDeps = {
      link,
      monitor,
      matched,
      pid: () => supervisor.pid,
      ringIntervalMs: 1500,
      patienceMs: 30_000,
    };
    const planner = new CallerPlanner(random);
    const calls: JudgedCall[] = [];
    const duringFlood = new Set<number>();
    const knownCallers = new Set<number>();
    const bots: BotCall[] = [];
    const pending: FaultKind[] = [];
    const burstAt = new Set(
      Array.from({ length: o.botBursts }, (_, b) =>
        Math.max(1, Math.round(((b + 0.7) * o.calls) / o.botBursts)),
      ),
    );
    let lineFreeSince = Date.now();
    const callsFrom = new RecentCalls(SOAK_PER_CALLER.windowMinutes * 60_000);
    const human = async (plan: CallerPlan, label: string) => {
      const index = calls.length;
      const known = planner.isRegular(plan.number);
      if (known) knownCallers.add(index);
      // A new caller right after a hang-up is what redialling bots do: the guard's line-pressure
      // test would rightly challenge a run of them. Real new patients leave the line idle longer.
      if (!known) await sleep(lineFreeSince + STRANGER_IDLE_MS - Date.now());
      const inFlood = mqtt.inFlood;
      // The planner picks callers back at random from those who called, so early in a run one
      // number may call again and again: past the configured limit its refusal is the design.
      const overLimit = !known && callsFrom.recent(plan.number) >= SOAK_PER_CALLER.maxCalls;
      callsFrom.add(plan.number);
      const result = await placeCall(index, plan, callDeps);
      if (overLimit) result.expected.push('refused:caller-limit');
      lineFreeSince = Date.now();
      if (result.record)
        result.challenged =
          result.record.route === 'refused:challenge' ||
          [...monitor.stagesOf(result.record.id)].some((p) => p.startsWith('guard-challenge'));
      const judged = judge(result, injector.records);
      calls.push(judged);
      if (inFlood || mqtt.inFlood) duringFlood.add(index);
      const route = judged.record?.route;
      o.progress(
        `call ${label} ${plan.script}${plan.repeat ? ' (repeat)' : ''}${inFlood ? ' (flood on)' : ''}: ${judged.verdict}` +
          `${route ? ` route=${route}` : ''}${judged.faults.length ? ` faults=${judged.faults.join(',')}` : ''}`,
      );
    };
    let burst = true;
    for (let i = 0; i < o.calls; i++) {
      if (o.stop?.aborted || (o.maxPlacingMs !== null && Date.now() - startedAt > o.maxPlacingMs)) {
        o.progress(`stopping after ${i} of ${o.calls} calls: no more calls placed`);
        break;
      }
      if (burstAt.has(i)) {
        await injector.settled();
        const dialler = new BotDialler({ ...callDeps, random }, bots.length);
        const floodsBefore = mqtt.floodsStarted;
        const firstBot = bots.length;
        for (let k = 0; k < 3 * o.botCallsPerBurst; k++) {
          // Go on until the guard has shown its hand: a flood announced, or bots stopped.
          const acted =
            mqtt.floodsStarted > floodsBefore ||
            bots
              .slice(firstBot)
              .some((b) => b.outcome === 'refused' || b.outcome === 'challenge-failed');
          if (k >= o.botCallsPerBurst && acted) break;
          const bot = await dialler.call();
          lineFreeSince = Date.now();
          bots.push(bot);
          o.progress(
            `bot ${bots.length} ${bot.behaviour}${mqtt.inFlood ? ' (flood on)' : ''}: ${bot.outcome}${bot.route ? ` route=${bot.route}` : ''}`,
          );
          // Regulars keep calling during the burst: the allow-list must get them through.
          if (k % 4 === 3)
            await human(planner.planRegular(), `during bot burst (#${calls.length + 1})`);
        }
      }
      pending.push(...(schedule.get(i) ?? []));
      if (pending.length > 0 && injector.inject(pending[0]!, random.int(0, 4000))) pending.shift();
      // While a flood lasts a stranger would meet the challenge, whose digits this harness
      // cannot hear (it gets audio, not text): regulars call then. One call in ten is theirs.
      const plan = mqtt.inFlood || random.chance(0.1) ? planner.planRegular() : planner.plan();
      await human(plan, `${i + 1}/${o.calls}`);
      // Mornings come in bursts; between them the line is quiet for a while.
      if (random.chance(burst ? 0.15 : 0.35)) burst = !burst;
      await sleep(o.gapScale * (burst ? random.int(200, 1200) : random.int(1500, 5000)));
    }
    // Faults that never found a free moment run now, so every scheduled kind happens.
    for (const kind of pending) {
      await injector.settled();
      injector.inject(kind, 0);
    }
    await injector.settled();
    await csv.stop();
    await flowEditor.stop();
    // Records held back by a storage fault are saved once it is undone: look again for them.
    for (const call of calls) {
      // A call cut by SIGKILL has no record to wait for (30 s each in a long run).
      if (call.answeredAt !== null && !call.record && call.verdict !== 'cut-by-kill') {
        call.record = await findLateRecord(call, { ...callDeps });
        if (call.record)
          o.progress(
            `call ${call.index + 1}: its record arrived after the fault (route=${call.record.route})`,
          );
      }
    }
    // Re-judge: a fault that started after a call was judged may overlap it.
    const final = calls.map((c) => judge(c, injector.records));
    const allIds = [...matched];
    const missingAtEnd = missingIds(database, allIds);
    const flowNames = flowNamesOf(database, allIds);
    const flowsTaken = staleFlowCalls(
      final.map((c) => ({ ...c, ...(c.record ? { recordId: c.record.id } : {}) })),
      flowEditor,
      (id) => flowNames.get(id),
    );
    const endSample = supervisor.current?.lastSample ?? null;
    return summarise({
      options: o,
      startedAt,
      endedAt: Date.now(),
      calls: final,
      faults: injector.records,
      lives: supervisor.lives,
      rssTimeline: rss,
      endRssKb: endSample?.rssKb ?? null,
      recordsCheckedAtEnd: allIds.length,
      missingAtEnd,
      mqttCallEnded: mqtt.endedCallIds.size,
      httpRequests: monitor.requests,
      webLogins: web.logins,
      workDir: dir,
      diskFullAvailable: disk !== null,
      clockJumpAvailable: clock !== null,
      duringFlood: [...duringFlood],
      knownCallers: [...knownCallers],
      bots,
      floodsStarted: mqtt.floodsStarted,
      callersBlocked: mqtt.callersBlocked,
      csv: csv.figures,
      flowEdits: {
        ...flowEditor.figures,
        callsChecked: flowsTaken.checked,
        staleCalls: flowsTaken.stale,
      },
    });
  } finally {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
    if (!o.workDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Idle line before a new caller's call (see `human` in runSoak). */
const STRANGER_IDLE_MS = 4000;

/** Every kind once (when there are enough faults), the rest at random, spread over the calls. */
function faultSchedule(
  calls: number,
  faults: number,
  kinds: readonly FaultKind[],
  random: SeededRandom,
): Map<number, FaultKind[]> {
  const order = random.shuffle(kinds).slice(0, faults);
  while (order.length < faults) order.push(random.pick(kinds));
  const schedule = new Map<number, FaultKind[]>();
  order.forEach((kind, j) => {
    const at = Math.min(calls - 1, Math.max(1, Math.round(((j + 1) * calls) / (faults + 1))));
    schedule.set(at, [...(schedule.get(at) ?? []), kind]);
  });
  return schedule;
}

/** Record ids the database does not hold (read with a separate connection, as after a reboot). */
function missingIds(database: string, ids: readonly string[]): string[] {
  if (ids.length === 0) return [];
  const db = new Database(database, { readonly: true, fileMustExist: true });
  try {
    const has = db.prepare('SELECT 1 FROM calls WHERE id = ?');
    return ids.filter((id) => has.get(id) === undefined);
  } finally {
    db.close();
  }
}

/** Each record's flow name (the version of the flow that took the call). */
function flowNamesOf(database: string, ids: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const db = new Database(database, { readonly: true, fileMustExist: true });
  try {
    const read = db.prepare<[string], { flow_name: string }>(
      'SELECT flow_name FROM calls WHERE id = ?',
    );
    for (const id of ids) {
      const row = read.get(id);
      if (row) names.set(id, row.flow_name);
    }
  } finally {
    db.close();
  }
  return names;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
