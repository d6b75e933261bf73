import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ApplianceSupervisor } from './appliance-supervisor.js';
import { type JudgedCall, judge } from './call-verdict.js';
import { CallerPlanner } from './caller-scripts.js';
import { DiskFiller } from './disk-filler.js';
import { EmulatedModemLink } from './emulated-modem-link.js';
import { FAULT_KINDS, FaultInjector, type FaultKind } from './fault-injector.js';
import { MqttObserver } from './mqtt-observer.js';
import { findLateRecord, placeCall } from './place-call.js';
import { SeededRandom } from './seeded-random.js';
import { SoakBroker } from './soak-broker.js';
import { type SoakReport, summarise } from './soak-report.js';
import { writeSoakFiles } from './soak-setup.js';
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
  rssEveryMs: number;
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
  rssEveryMs: 10_000,
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
      acknowledgedIds: async () => {
        const listed = (await monitor.calls(500)) ?? [];
        return [...new Set([...matched, ...listed.map((c) => c.id)])];
      },
      missingFromDatabase: (ids) => missingIds(database, ids),
      maxHoldMs: 60_000,
      recoveryTimeoutMs: 90_000,
    });
    const schedule = faultSchedule(o.calls, o.faults, disk !== null, random);
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
    const pending: FaultKind[] = [];
    let burst = true;
    for (let i = 0; i < o.calls; i++) {
      pending.push(...(schedule.get(i) ?? []));
      if (pending.length > 0 && injector.inject(pending[0]!, random.int(0, 4000))) pending.shift();
      const plan = planner.plan();
      const result = await placeCall(i, plan, callDeps);
      const judged = judge(result, injector.records);
      calls.push(judged);
      o.progress(
        `call ${i + 1}/${o.calls} ${plan.script}${plan.repeat ? ' (repeat)' : ''}: ${judged.verdict}` +
          `${judged.record ? ` route=${judged.record.route}` : ''}${judged.faults.length ? ` faults=${judged.faults.join(',')}` : ''}`,
      );
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
    // Records held back by a storage fault are saved once it is undone: look again for them.
    for (const call of calls) {
      if (call.answeredAt !== null && !call.record) {
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
    });
  } finally {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
    if (!o.workDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Every kind once (when there are enough faults), the rest at random, spread over the calls. */
function faultSchedule(
  calls: number,
  faults: number,
  diskFull: boolean,
  random: SeededRandom,
): Map<number, FaultKind[]> {
  const kinds = FAULT_KINDS.filter((k) => diskFull || k !== 'disk-full');
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
