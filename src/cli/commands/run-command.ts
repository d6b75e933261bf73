import type { Command } from 'commander';
import { Appliance } from '../../appliance/appliance.js';
import { loadConfig } from '../../config/load-config.js';
import { createLogger } from '../../shared/logger.js';
import { notifySettingsFromEnv, SystemdNotifier } from '../../system/sd-notify.js';
import { EXIT_FAILURE, err, reportError } from '../cli-io.js';

/**
 * Exit status after a restart asked for on the web page: EX_TEMPFAIL ("try again"). Restart=
 * always restarts on any status; a non-zero one also works under Restart=on-failure and reads
 * in the journal as something other than a crash (1) or a stop (0).
 */
export const EXIT_RESTART = 75;

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description(
      'start the appliance: line, call handling and the web page (simulated line when no modem is configured)',
    )
    .action(async () => {
      let appliance: Appliance | null = null;
      let notifier: SystemdNotifier | null = null;
      try {
        const { config, source } = loadConfig(program.opts<{ config?: string }>().config);
        const logger = createLogger(config.log.level);
        logger.info({ config: source ?? 'built-in defaults' }, 'starting linekeeper');
        appliance = new Appliance(config, logger, {
          configFile: source,
          // The /system page's restart: a clean stop, then an exit systemd restarts us after.
          restart: () => shutdown('restart requested on the web page', EXIT_RESTART),
        });
        const running = appliance;
        // Under Type=notify systemd waits for READY=1 and restarts us when the pings stop.
        notifier = new SystemdNotifier({
          settings: notifySettingsFromEnv(process.env, process.pid),
          healthProblems: () => running.healthProblems(),
          logger: logger.child({ module: 'systemd' }),
        });
        const systemd = notifier;
        await systemd.start();
        let stopping = false;
        const shutdown = (signal: string, exitCode = 0) => {
          if (stopping) return;
          stopping = true;
          logger.info({ signal }, 'stopping');
          systemd.stopping('stopping: the line goes back to the front desk');
          running.stop().then(
            () => systemd.stop().then(() => process.exit(exitCode)),
            (error: unknown) => {
              logger.error({ err: error }, 'stop failed');
              process.exit(EXIT_FAILURE);
            },
          );
        };
        process.on('SIGTERM', () => shutdown('SIGTERM'));
        process.on('SIGINT', () => shutdown('SIGINT'));
        await appliance.start();
        const address = appliance.webAddress();
        systemd.ready(
          `answering calls on the ${appliance.status().line.kind} line${address ? `; web page ${address}/` : ''}`,
        );
        if (address) err(`linekeeper is running; web page at ${address}/ (Ctrl-C to stop)`);
      } catch (error) {
        notifier?.status(`start failed: ${(error as Error).message}`);
        await appliance?.stop().catch(() => {});
        await notifier?.stop();
        process.exitCode = reportError(error);
        // Fatal start-up errors exit non-zero so systemd restarts the service.
        process.exit(process.exitCode);
      }
    });
}
