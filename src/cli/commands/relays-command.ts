import type { Command } from 'commander';
import { loadConfig, parseConfigText } from '../../config/load-config.js';
import { gpioSettingsFromConfig, type RelaysConfigLike } from '../../relays/relay-settings.js';
import { releaseRelays } from '../../relays/release-relays.js';
import { BadArgumentError, EXIT_FAILURE, EXIT_OK, err, out, reportError } from '../cli-io.js';

interface ReleaseOptions {
  driver?: string;
  sysfsRoot?: string;
  devDir?: string;
}

const DRIVERS = ['auto', 'sysfs', 'gpiochip'];

/**
 * `linekeeper relays release`: puts every relay at rest, line-select first, with the
 * appliance not running. systemd runs it as ExecStopPost, so the line returns to the front
 * desk even after a SIGKILL or a crash (sysfs outputs keep their level when the process dies).
 */
export function registerRelaysCommand(program: Command): void {
  const relays = program.command('relays').description('GPIO line relays');
  relays
    .command('release')
    .description(
      'de-energise every configured relay (line-select first): the line falls through to the front desk',
    )
    .option('--driver <driver>', 'auto, sysfs or gpiochip (default: relays.driver in the config)')
    .option('--sysfs-root <dir>', 'sysfs GPIO directory', '/sys/class/gpio')
    .option('--dev-dir <dir>', 'directory holding gpiochipN devices', '/dev')
    .action(async (opts: ReleaseOptions) => {
      let exitCode = EXIT_OK;
      let relaysConfig: RelaysConfigLike;
      try {
        relaysConfig = loadConfig(program.opts<{ config?: string }>().config).config.relays;
      } catch (error) {
        // An unreadable config must not keep the line on the appliance: release the default pins.
        exitCode = reportError(error);
        err('linekeeper: releasing the default relay pins instead');
        relaysConfig = { ...parseConfigText('{}', '(defaults)').relays, driver: 'auto' };
      }
      try {
        if (opts.driver !== undefined && !DRIVERS.includes(opts.driver))
          throw new BadArgumentError(
            `--driver must be one of ${DRIVERS.join(', ')}, not "${opts.driver}"`,
          );
        const settings = gpioSettingsFromConfig({
          ...relaysConfig,
          driver: opts.driver ?? relaysConfig.driver,
        });
        if (!settings) {
          out('relays.driver is simulated: there is no GPIO to release');
          process.exitCode = exitCode;
          return;
        }
        const results = await releaseRelays({
          ...settings,
          ...(opts.sysfsRoot ? { sysfsRoot: opts.sysfsRoot } : {}),
          ...(opts.devDir ? { devDir: opts.devDir } : {}),
        });
        for (const r of results)
          out(
            `${r.role.padEnd(11)} BCM ${String(r.bcm).padEnd(2)} ${r.line}: ${r.outcome}, ${r.detail}`,
          );
        if (results.length === 0) out('no relay pins are configured: nothing to release');
        if (results.some((r) => r.outcome === 'failed')) exitCode = EXIT_FAILURE;
      } catch (error) {
        exitCode = reportError(error);
      }
      process.exitCode = exitCode;
    });
}
