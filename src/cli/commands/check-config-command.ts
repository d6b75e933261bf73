import type { Command } from 'commander';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../config/load-config.js';
import { EXIT_OK, out, reportError } from '../cli-io.js';

export function registerCheckConfigCommand(program: Command): void {
  program
    .command('check-config')
    .description(
      `validate a config file (default ${DEFAULT_CONFIG_PATH}); exit 0 when valid, 2 with every problem listed`,
    )
    .argument('[file]', 'config file to check')
    .action((file: string | undefined) => {
      try {
        const { source, overrideSource } = loadConfig(
          file ?? program.opts<{ config?: string }>().config,
        );
        out(
          source
            ? `${source}: ok`
            : `no config file at ${DEFAULT_CONFIG_PATH}: built-in defaults are valid`,
        );
        // The web page's settings are merged over the file; say that they were checked too.
        if (overrideSource) out(`${overrideSource} (web page settings, merged over it): ok`);
        process.exitCode = EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
