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
// The file's own limit (package.json's tap timeout is 120 s): a loaded 2-core box needs ~6 min
// (24 calls, a burst of 12 or more bot calls, six faults).
// It lives in test/appliance/ rather than test/soak/ so that tap, which starts files in
// alphabetical order, starts this six-minute wall-clock run among the first: finishing last, it
// kept one CI worker busy alone for minutes (measured: test phase 880 s against 631 s of work
// per worker).
t.setTimeout(660_000);
const built = existsSync(join(PACKAGE_ROOT, 'dist/cli/main.js'));

t.test(
  'a short soak loses no call and no record',
  { skip: !built && 'run npm run build first' },
  async (t) => {
    t.setTimeout(630_000);
    const report = await runSoak({
      calls: Number(process.env.LINEKEEPER_SOAK_CALLS ?? 24),
      faults: 6,
      seed: Number(process.env.LINEKEEPER_SOAK_SEED ?? 12),
      gapScale: 0.3,
      restartDelayMs: 500,
      // LINEKEEPER_SOAK_WORK_DIR keeps appliance.log and the database for a post-mortem.
      workDir: process.env.LINEKEEPER_SOAK_WORK_DIR ?? null,
      // LINEKEEPER_SOAK_DISK_FULL=0 leaves the disk-full fault out (it needs root for a tmpfs).
      diskFull: process.env.LINEKEEPER_SOAK_DISK_FULL !== '0',
      // The clock-jump fault needs libfaketime (Debian package faketime, installed by .ci/run).
      clockJumps: true,
      botBursts: 1,
      botCallsPerBurst: 12,
      // The admin saves a new version of the flow on /flows every 30 s while calls go on.
      flowEditEveryMs: 30_000,
      progress: (line) => t.comment(line),
    });
    t.comment(formatReport(report));
    t.ok(
      report.placed >= Number(process.env.LINEKEEPER_SOAK_CALLS ?? 24),
      'every call was placed (patients calling during the bot burst come on top)',
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
    if (report.clockJumpAvailable) t.ok(kinds.has('clock-jump'), 'fault injected: clock-jump');
    else t.comment('clock-jump skipped: libfaketime is not installed (apt-get install faketime)');
    t.same(report.badDurations, [], 'no record with a negative or hour-long duration');
    t.ok(report.bots.placed >= 12, 'a burst of bot calls was placed');
    t.equal(report.bots.outcomes['passed-challenge'], 0, 'no bot got past the challenge');
    t.ok(
      report.bots.outcomes['challenge-failed'] + report.bots.outcomes.refused > 0,
      'the flood guard acted on the burst: bots met the challenge or were refused',
    );
    t.same(report.bots.knownChallenged, [], 'allow-listed regulars were never challenged');
    t.ok(report.csv.attempts > 0, 'the call log was exported as CSV while calls went on');
    t.equal(report.csv.errors, 0, 'no CSV export failed outside a fault');
    t.ok(
      report.flowEdits.saves >= 2,
      'the flow was edited and saved on /flows while calls went on',
    );
    t.equal(report.flowEdits.errors, 0, 'no flow save failed outside a fault');
    t.equal(report.flowEdits.editsLost, 0, 'no acknowledged flow edit was lost (kills included)');
    t.ok(report.flowEdits.callsChecked > 0, 'the flow version of answered calls was checked');
    t.same(report.flowEdits.staleCalls, [], 'every call was taken by the flow in effect');
    for (const fault of report.faults)
      t.equal(fault.notRecovered, 0, `${fault.kind}: the appliance recovered every time`);
    t.ok(report.restarts >= 1, 'the supervisor restarted the killed appliance');
  },
);
