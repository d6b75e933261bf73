import { Command, InvalidArgumentError } from 'commander';
import { formatReport, soakPassed } from './soak-report.js';
import { runSoak } from './soak-run.js';

/**
 * `npm run soak -- --calls N --faults F`: the real appliance process through the modem
 * emulator, with Mosquitto and the web API in use and faults injected at random. Exits 1 when a
 * call or a committed record was lost. Needs `npm run build` first (it runs dist/cli/main.js).
 */
const whole = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`${name} must be a whole number`);
  return n;
};

const program = new Command('soak')
  .option('--calls <n>', 'calls to place', whole('--calls'), 40)
  .option('--faults <n>', 'faults to inject (every kind once when n >= 5)', whole('--faults'), 6)
  .option(
    '--seed <n>',
    'random seed: the same seed replays the same traffic and faults',
    whole('--seed'),
    Date.now() % 100000,
  )
  .option('--gap-scale <x>', 'multiply pauses between calls', Number, 1)
  .option(
    '--restart-delay-ms <n>',
    'supervisor RestartSec (the systemd unit: 5000)',
    whole('--restart-delay-ms'),
    1000,
  )
  .option(
    '--max-minutes <n>',
    'stop placing calls after this many minutes of wall time (the report says how many)',
    Number,
  )
  .option('--work-dir <dir>', 'keep config, appliance.log and database here')
  .option('--no-disk-full', 'skip the disk-full fault')
  .option(
    '--no-clock-jumps',
    'skip the clock-jump fault (needs libfaketime: apt-get install faketime)',
  )
  .option('--bot-bursts <n>', 'bursts of robocalls spread over the run', whole('--bot-bursts'), 1)
  .option('--bot-calls <n>', 'bot calls per burst at least', whole('--bot-calls'), 16)
  .option(
    '--csv-every-ms <n>',
    'CSV export interval of the second browser',
    whole('--csv-every-ms'),
    4000,
  )
  .option(
    '--flow-edit-every-ms <n>',
    'how often the admin saves a new version of the flow on /flows (0: never)',
    whole('--flow-edit-every-ms'),
    45_000,
  )
  .option('--json', 'print the report as JSON')
  .option('--quiet', 'no per-call progress');
program.parse();
const o = program.opts<{
  calls: number;
  faults: number;
  seed: number;
  gapScale: number;
  restartDelayMs: number;
  workDir?: string;
  maxMinutes?: number;
  diskFull: boolean;
  clockJumps: boolean;
  botBursts: number;
  botCalls: number;
  csvEveryMs: number;
  flowEditEveryMs: number;
  json?: boolean;
  quiet?: boolean;
}>();

// Ctrl-C or kill: stop placing calls and clean up (appliance, socat, broker, tmpfs) as usual.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    process.stderr.write(`${signal}: no more calls; cleaning up\n`);
    stop.abort();
  });

const report = await runSoak({
  calls: o.calls,
  faults: o.faults,
  seed: o.seed,
  gapScale: o.gapScale,
  restartDelayMs: o.restartDelayMs,
  workDir: o.workDir ?? null,
  diskFull: o.diskFull,
  clockJumps: o.clockJumps,
  botBursts: o.botBursts,
  botCallsPerBurst: o.botCalls,
  csvEveryMs: o.csvEveryMs,
  flowEditEveryMs: o.flowEditEveryMs,
  stop: stop.signal,
  maxPlacingMs: o.maxMinutes === undefined ? null : o.maxMinutes * 60_000,
  progress: o.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${o.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
process.exitCode = soakPassed(report) ? 0 : 1;
