import { hostname } from 'node:os';
import type { Command } from 'commander';
import { dataPaths } from '../../appliance/paths.js';
import { loadConfig } from '../../config/load-config.js';
import { runFirstboot } from '../../system/firstboot/firstboot.js';
import { EXIT_OK, out, reportError } from '../cli-io.js';

/**
 * `linekeeper firstboot`: run once by linekeeper-firstboot.service before the first start.
 * Everything it prints goes to the journal (and the console), which is how the technician reads
 * the certificate fingerprint. The admin setup code comes from `linekeeper run`.
 */
export function registerFirstbootCommand(program: Command): void {
  program
    .command('firstboot')
    .description('create the device secret and the web page TLS certificate (only what is missing)')
    .action(async () => {
      try {
        const { config } = loadConfig(program.opts<{ config?: string }>().config);
        const paths = dataPaths(config);
        const host = hostname();
        const report = runFirstboot({
          stateDir: paths.dataDir,
          deviceSecretFile: paths.deviceSecret,
          deviceName: config.device.id,
          hostNames: [host, `${host}.local`],
          now: new Date(),
        });
        out(
          `device secret: ${report.deviceSecretCreated ? 'created' : 'kept'} (${paths.deviceSecret})`,
        );
        out(
          `web page TLS certificate: ${report.tls.created ? 'created' : 'kept'} (${report.tls.certFile}, valid until ${report.tls.notAfter})`,
        );
        out(`TLS certificate SHA-256 fingerprint: ${report.tls.fingerprint256}`);
        out('  (the browser must show this same fingerprint on the first visit)');
        out(
          'admin setup code: printed by the linekeeper service while no admin exists (journalctl -u linekeeper)',
        );
        process.exitCode = EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
