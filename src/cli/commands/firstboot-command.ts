import { hostname } from 'node:os';
import type { Command } from 'commander';
import { dataPaths } from '../../appliance/paths.js';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../config/load-config.js';
import { readProvisioningStatus } from '../../provisioning/provisioning-status.js';
import { runFirstboot } from '../../system/firstboot/firstboot.js';
import { runProvisioning } from '../../system/firstboot/firstboot-provisioning.js';
import { EXIT_BAD_INPUT, EXIT_OK, out, reportError } from '../cli-io.js';

interface FirstbootOptions {
  provisionOnly?: boolean;
  bootDir?: string;
  root: string;
}

/**
 * `linekeeper firstboot`: run once by linekeeper-firstboot.service before the first start.
 * Everything it prints goes to the journal (and the console), which is how the technician reads
 * the certificate fingerprint. The admin setup code comes from `linekeeper run`.
 *
 * `linekeeper firstboot --provision-only`: run as root by linekeeper-provision.service at every
 * boot where linekeeper.yaml is on the boot partition; applies it (see src/provisioning/).
 */
export function registerFirstbootCommand(program: Command): void {
  program
    .command('firstboot')
    .description('create the device secret and the web page TLS certificate (only what is missing)')
    .option(
      '--provision-only',
      'instead: apply linekeeper.yaml from the boot partition (as root: it writes /etc and the network settings)',
    )
    .option(
      '--boot-dir <dir>',
      'the boot partition holding linekeeper.yaml (default /boot/firmware, or /boot before bookworm)',
    )
    .option('--root <dir>', 'root of the system to provision (for tests and image builds)', '/')
    .action(async (options: FirstbootOptions) => {
      try {
        const configFile = program.opts<{ config?: string }>().config;
        if (options.provisionOnly) {
          const outcome = runProvisioning({
            configFile: configFile ?? DEFAULT_CONFIG_PATH,
            root: options.root,
            ...(options.bootDir ? { bootDir: options.bootDir } : {}),
            now: new Date(),
            print: out,
          });
          process.exitCode = outcome.result === 'rejected' ? EXIT_BAD_INPUT : EXIT_OK;
          return;
        }
        const { config } = loadConfig(configFile);
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
        const provisioning = readProvisioningStatus(paths.dataDir);
        if (provisioning && !provisioning.ok) {
          out(
            `boot-partition settings were NOT applied (${provisioning.file}); see linekeeper-errors.txt next to it`,
          );
        }
        process.exitCode = EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
