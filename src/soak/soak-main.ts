import { Command, InvalidArgumentError } from 'commander';
import { formatReport } from './soak-report.js';
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
  .option('--work-dir <dir>', 'keep config, appliance.log and database here')
  .option('--no-disk-full', 'skip the disk-full fault')
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
  diskFull: boolean;
  json?: boolean;
  quiet?: boolean;
}>();

const report = await runSoak({
  calls: o.calls,
  faults: o.faults,
  seed: o.seed,
  gapScale: o.gapScale,
  restartDelayMs: o.restartDelayMs,
  workDir: o.workDir ?? null,
  diskFull: o.diskFull,
  progress: o.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${o.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
process.exitCode =
  report.lost === 0 && report.recordsLostAfterKills === 0 && report.missingAtEnd.length === 0
    ? 0
    : 1;
