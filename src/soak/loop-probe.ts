import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Preloaded into the appliance process by the soak supervisor (`node --import loop-probe.js`),
 * so the event-loop delay of the real process is measured without a line of appliance code
 * knowing about it. Writes the histogram since start to $LINEKEEPER_SOAK_LOOP_FILE every second.
 */
const target = process.env.LINEKEEPER_SOAK_LOOP_FILE;
if (target) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const write = () => {
    try {
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      writeFileSync(
        target,
        JSON.stringify({
          pid: process.pid,
          at: Date.now(),
          count: histogram.count,
          meanMs: ms(histogram.mean),
          p50Ms: ms(histogram.percentile(50)),
          p99Ms: ms(histogram.percentile(99)),
          maxMs: ms(histogram.max),
        }),
      );
    } catch {
      // A full disk must not take the appliance down because of its soak probe.
    }
  };
  setInterval(write, 1000).unref();
}
