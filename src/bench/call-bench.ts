import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateCall } from '../appliance/simulate-call.js';
import { parseConfigText } from '../config/load-config.js';
import { loadFlow } from '../ivr/parse-flow.js';
import type { CallerStep } from '../line/simulated/simulated-caller.js';
import { silentLogger } from '../shared/logger.js';
import { MemoryStatusSink } from '../status/simulated/memory-status-sink.js';
import { SqliteCallStore } from '../storage/sqlite/sqlite-call-store.js';

/**
 * CPU, wall time and memory per call for the call path the appliance runs (CallDesk, session,
 * flow runner, SQLite with fsync per call), on the simulated line and a virtual clock so the
 * figure is the appliance's own work, not the caller's talking time.
 */
const CALLS = Number(process.env.CALLS ?? 2000);
const SCRIPTS: CallerStep[][] = [
  [{ kind: 'dtmf', digits: '0' }],
  [
    { kind: 'dtmf', digits: '1' },
    { kind: 'dtmf', digits: '1' },
    { kind: 'dtmf', digits: '2' },
  ],
  [{ kind: 'say', text: 'my prescription please' }],
  [{ kind: 'dtmf', digits: '3' }],
  [],
];

const dir = mkdtempSync(join(tmpdir(), 'lk-call-bench-'));
const config = parseConfigText(`dataDir: ${dir}\n`, 'bench');
const { flow } = loadFlow('builtin:clinic');
const store = new SqliteCallStore(join(dir, 'linekeeper.db'));
await store.start();
const status = new MemoryStatusSink(10);
const logger = silentLogger();

const run = (i: number) =>
  simulateCall(
    config,
    { flow, callerNumber: `+4930${1000000 + (i % 500)}`, steps: SCRIPTS[i % SCRIPTS.length]! },
    { store, status, logger },
  );

for (let i = 0; i < 50; i++) await run(i); // warm-up: JIT, SQLite page cache
global.gc?.();
const rssStart = process.memoryUsage().rss;
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
let rssPeak = rssStart;
const checkpoints: string[] = [];
for (let i = 0; i < CALLS; i++) {
  await run(i);
  if (i % 100 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  if ((i + 1) % Math.ceil(CALLS / 4) === 0) {
    global.gc?.();
    checkpoints.push(`${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1)}`);
  }
}
const wallMs = performance.now() - wallStart;
const cpu = process.cpuUsage(cpuStart);
global.gc?.();
const rssEnd = process.memoryUsage().rss;
await store.stop();
rmSync(dir, { recursive: true, force: true });

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
console.log(`call path: ${CALLS} simulated calls (5 caller scripts, SQLite synchronous=FULL)`);
console.log(
  `  CPU per call:   ${((cpu.user + cpu.system) / 1000 / CALLS).toFixed(2)} ms (user ${(cpu.user / 1000 / CALLS).toFixed(2)}, system ${(cpu.system / 1000 / CALLS).toFixed(2)})`,
);
console.log(`  wall per call:  ${(wallMs / CALLS).toFixed(2)} ms`);
console.log(`  RSS start/peak/end: ${mb(rssStart)} / ${mb(rssPeak)} / ${mb(rssEnd)}`);
console.log(
  `  JS heap after each quarter (MB, after GC): ${checkpoints.join(' / ')} (flat means no per-call leak)`,
);
