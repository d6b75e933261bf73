import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/**
 * A way to de-energise line-select that needs nothing from the main thread: plain data, so it
 * can be handed to a worker thread and carried out while the event loop is stuck.
 */
export type FailSafePlan =
  | {
      kind: 'sysfs-write';
      /** `.../gpioN/value`; the pin's `active_low` attribute makes "0" the de-energised level. */
      valuePath: string;
    }
  | {
      kind: 'gpiod-reset';
      /** Int32 cell holding the pid of the gpioset process that holds the line (0: none). */
      holderPid: SharedArrayBuffer;
      /** A one-shot gpioset that sets the line inactive and exits. */
      command: string;
      args: string[];
    };

export interface FailSafeOutcome {
  ok: boolean;
  detail: string;
}

/** Synchronous on purpose: it runs in the watchdog worker, where blocking harms nobody. */
export function executeFailSafePlan(plan: FailSafePlan): FailSafeOutcome {
  if (plan.kind === 'sysfs-write') {
    try {
      writeFileSync(plan.valuePath, '0');
      return { ok: true, detail: `wrote 0 to ${plan.valuePath}` };
    } catch (error) {
      return { ok: false, detail: `writing ${plan.valuePath}: ${(error as Error).message}` };
    }
  }
  const cell = new Int32Array(plan.holderPid);
  const pid = Atomics.exchange(cell, 0, 0);
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone: the line is free.
    }
  }
  // The kernel frees the line once the killed holder's file descriptors close: retry briefly.
  let last = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    const run = spawnSync(plan.command, plan.args, { timeout: 1000, encoding: 'utf8' });
    if (run.status === 0) return { ok: true, detail: `${plan.command} ${plan.args.join(' ')}` };
    last = run.error?.message ?? run.stderr.trim();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  return { ok: false, detail: `${plan.command} ${plan.args.join(' ')}: ${last}` };
}
