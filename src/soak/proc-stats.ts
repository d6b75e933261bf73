import { readFileSync } from 'node:fs';

/** What /proc says about one process: resident memory and CPU time used so far. */
export interface ProcSample {
  at: number;
  rssKb: number;
  cpuMs: number;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on every Linux the appliance runs on

export function readProcSample(pid: number): ProcSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces or parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!rss || !Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return {
      at: Date.now(),
      rssKb: Number(rss[1]),
      cpuMs: ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND,
    };
  } catch {
    return null;
  }
}
