import { hostname } from 'node:os';
import type { Command } from 'commander';
import { dataPaths } from '../../appliance/paths.js';
import { loadConfig } from '../../config/load-config.js';
import { runFirstboot } from '../../system/firstboot/firstboot.js';
import { EXIT_OK, out, reportError } from '../cli-io.js';

/**
 * `linekeeper firstboot`: run once by linekeeper-firstboot.service before the first start.
 * Everything it prints goes to the journal (and the console), which is how the technician reads
 * the setup code and the certificate fingerprint.
 */
export function registerFirstbootCommand(program: Command): void {
  program
    .command('firstboot')
    .description(
      'create the device secret, the web page TLS certificate and a one-time setup code (only what is missing)',
    )
    .option('--new-setup-code', 'issue a new setup code; the previous one stops working')
    .action(async (flags: { newSetupCode?: boolean }) => {
      try {
        const { config } = loadConfig(program.opts<{ config?: string }>().config);
        const paths = dataPaths(config);
        const host = hostname();
        const report = runFirstboot({
          stateDir: paths.dataDir,
          deviceSecretFile: paths.deviceSecret,
          deviceName: config.device.id,
          hostNames: [host, `${host}.local`],
          newSetupCode: flags.newSetupCode === true,
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
        if (report.setupCode) {
          out(`SETUP CODE: ${report.setupCode}`);
          out('  (type it on the web page to set the admin password; it works once)');
        } else {
          out(
            `setup code: issued ${report.setupCodeIssuedAt}, not shown again; "linekeeper firstboot --new-setup-code" issues another`,
          );
        }
        process.exitCode = EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
