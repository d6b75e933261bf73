import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { PACKAGE_ROOT } from '../../src/shared/package-root.js';
import { formatReport } from '../../src/soak/soak-report.js';
import { runSoak } from '../../src/soak/soak-run.js';

/**
 * The CI soak: the built appliance process (dist/cli/main.js) on the modem emulator over a
 * socat pty, with a real Mosquitto and the web API in use, a few dozen calls and every fault at
 * least once (disk full only as root). No call and no committed record may be lost.
 * Figures (RSS, loop delay, CPU) are printed, never asserted: benchmarks judge speed.
 */
// The file's own limit (package.json's tap timeout is 120 s): a loaded 2-core box needs ~4 min.
t.setTimeout(330_000);
const built = existsSync(join(PACKAGE_ROOT, 'dist/cli/main.js'));

t.test(
  'a short soak loses no call and no record',
  { skip: !built && 'run npm run build first' },
  async (t) => {
    t.setTimeout(300_000);
    const report = await runSoak({
      calls: Number(process.env.LINEKEEPER_SOAK_CALLS ?? 24),
      faults: 5,
      seed: Number(process.env.LINEKEEPER_SOAK_SEED ?? 12),
      gapScale: 0.3,
      restartDelayMs: 500,
      // LINEKEEPER_SOAK_DISK_FULL=0 leaves the disk-full fault out (it needs root for a tmpfs).
      diskFull: process.env.LINEKEEPER_SOAK_DISK_FULL !== '0',
      progress: (line) => t.comment(line),
    });
    t.comment(formatReport(report));
    t.equal(
      report.placed,
      Number(process.env.LINEKEEPER_SOAK_CALLS ?? 24),
      'every call was placed',
    );
    t.ok(
      report.verdicts.routed > report.placed / 2,
      'most calls reached the route their caller chose',
    );
    t.same(report.misrouted, [], 'no call went elsewhere than its caller chose without a fault');
    t.same(
      report.lostCalls,
      [],
      'no call lost: each was answered and recorded, or on the front desk',
    );
    t.equal(report.recordsLostAfterKills, 0, 'no acknowledged record lost to SIGKILL');
    t.ok(report.recordsCheckedAfterKills > 0, 'records were acknowledged before a kill');
    t.same(report.missingAtEnd, [], 'every record the web page showed is in the database');
    const kinds = new Set(report.faults.map((f) => f.kind));
    for (const kind of ['modem-unplug', 'modem-hang', 'broker-restart', 'appliance-kill'] as const)
      t.ok(kinds.has(kind), `fault injected: ${kind}`);
    if (report.diskFullAvailable) t.ok(kinds.has('disk-full'), 'fault injected: disk-full');
    for (const fault of report.faults)
      t.equal(fault.notRecovered, 0, `${fault.kind}: the appliance recovered every time`);
    t.ok(report.restarts >= 1, 'the supervisor restarted the killed appliance');
  },
);
