import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { executeFailSafePlan, type FailSafePlan } from './fail-safe-plan.js';
import { BEAT, type StallReport, TRIPPED } from './stall-watchdog-protocol.js';

/**
 * Runs on its own thread with its own event loop, so it keeps ticking while the main thread
 * is stuck in a long synchronous task or an endless loop, and drops line-select itself.
 */
const data = workerData as {
  cells: SharedArrayBuffer;
  plan: FailSafePlan | null;
  stallMs: number;
  checkMs: number;
};
const cells = new Int32Array(data.cells);
let lastBeat = Atomics.load(cells, BEAT);
let lastChange = performance.now();

setInterval(() => {
  const now = performance.now();
  const beat = Atomics.load(cells, BEAT);
  if (beat !== lastBeat) {
    lastBeat = beat;
    lastChange = now;
    return;
  }
  if (Atomics.load(cells, TRIPPED) === 1 || now - lastChange < data.stallMs) return;
  // Flag first: from here on the main thread refuses to energise line-select until re-armed.
  Atomics.store(cells, TRIPPED, 1);
  const outcome = data.plan
    ? executeFailSafePlan(data.plan)
    : { ok: true, detail: 'line-select is not wired: nothing to release' };
  const report: StallReport = {
    stalledMs: Math.round(now - lastChange),
    releaseMs: Math.round((performance.now() - now) * 10) / 10,
    ...outcome,
  };
  parentPort?.postMessage({ type: 'tripped', report });
}, data.checkMs);

parentPort?.postMessage({ type: 'armed' });
