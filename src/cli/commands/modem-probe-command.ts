import type { Command } from 'commander';
import { findCandidatePorts, type ProbeReport, probeModem } from '../../line/modem/modem-probe.js';
import { silentLogger } from '../../shared/logger.js';
import { EXIT_FAILURE, EXIT_OK, out } from '../cli-io.js';

function printReport(report: ProbeReport): void {
  out(`${report.path}`);
  if (report.identity) {
    for (const [command, lines] of Object.entries(report.identity.answers)) {
      out(`  ${command.padEnd(7)} ${lines === undefined ? '(not supported)' : lines.join(' | ')}`);
    }
  }
  if (report.profile) out(`  profile   ${report.profile}`);
  if (report.capabilities) {
    const c = report.capabilities;
    out(`  voice     ${c.voice ? 'yes' : 'no'}`);
    out(`  caller ID ${c.callerId ? 'yes' : 'no'}`);
    out(
      `  duplex    ${c.fullDuplex ? 'yes (AT+VTR: speech barge-in works)' : 'no (key presses still work over prompts)'}`,
    );
    if (c.sampleModes.length > 0) out(`  formats   ${c.sampleModes.join(' ; ')}`);
  }
  out(`  verdict   ${report.verdict.toUpperCase()}: ${report.advice}`);
}

/** `linekeeper modem-probe [PORT]`: which attached modems can run linekeeper, and why not. */
export function registerModemProbeCommand(program: Command): void {
  program
    .command('modem-probe')
    .description(
      'find voice modems, print identity, profile, voice and caller-ID support, and a verdict',
    )
    .argument('[port]', 'serial device to probe (default: every /dev/serial/by-id device)')
    .option('--baud <rate>', 'baud rate', '115200')
    .option('--timeout <ms>', 'how long to wait for each answer', '2000')
    .option('--json', 'print one JSON object per port')
    .action(
      async (port: string | undefined, opts: { baud: string; timeout: string; json?: boolean }) => {
        const ports = port ? [port] : await findCandidatePorts();
        if (ports.length === 0) {
          out(
            'no serial devices found under /dev/serial/by-id or /dev/ttyACM*/ttyUSB*: is the modem plugged in?',
          );
          process.exitCode = EXIT_FAILURE;
          return;
        }
        let usable = 0;
        for (const path of ports) {
          const report = await probeModem(path, {
            baudRate: Number(opts.baud),
            timeoutMs: Number(opts.timeout),
            log: silentLogger(),
          });
          if (report.verdict === 'usable' || report.verdict === 'no-caller-id') usable++;
          if (opts.json) out(JSON.stringify(report));
          else printReport(report);
        }
        process.exitCode = usable > 0 ? EXIT_OK : EXIT_FAILURE;
      },
    );
}
