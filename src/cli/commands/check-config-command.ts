import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { flowCheckedForConfig } from '../../appliance/flow-config-check.js';
import type { Config } from '../../config/config-schema.js';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../config/load-config.js';
import { editedFlowPaths } from '../../web/flows/flow-file-store.js';
import { EXIT_BAD_INPUT, EXIT_OK, err, out, reportError } from '../cli-io.js';

export function registerCheckConfigCommand(program: Command): void {
  program
    .command('check-config')
    .description(
      `validate a config file (default ${DEFAULT_CONFIG_PATH}) and the flow it answers with; exit 0 when valid, 2 with every problem listed`,
    )
    .argument('[file]', 'config file to check')
    .action((file: string | undefined) => {
      try {
        const { config, source, overrideSource } = loadConfig(
          file ?? program.opts<{ config?: string }>().config,
        );
        out(
          source
            ? `${source}: ok`
            : `no config file at ${DEFAULT_CONFIG_PATH}: built-in defaults are valid`,
        );
        // The web page's settings are merged over the file; say that they were checked too.
        if (overrideSource) out(`${overrideSource} (web page settings, merged over it): ok`);
        process.exitCode = checkFlows(config);
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}

/**
 * The flows the appliance would answer with, checked as it checks them at start: call.flow
 * must pass (it is the fallback), and a flow saved on the web page, which takes precedence,
 * must pass too or the appliance answers with call.flow and logs why.
 */
function checkFlows(config: Config): number {
  const configured = flowCheckedForConfig(config.call.flow, config);
  out(`call.flow ${configured.file}: ok (${summary(configured)})`);
  const { active } = editedFlowPaths(config.dataDir);
  if (!existsSync(active)) return EXIT_OK;
  try {
    const edited = flowCheckedForConfig(active, config);
    out(`${active} (saved on the web page; answers the calls): ok (${summary(edited)})`);
    return EXIT_OK;
  } catch (error) {
    reportError(error);
    err(
      `linekeeper: the flow saved on the web page (${active}) is not usable, so the appliance answers with call.flow (${config.call.flow}) until it is fixed or reverted on the /flows page`,
    );
    return EXIT_BAD_INPUT;
  }
}

function summary(parsed: ReturnType<typeof flowCheckedForConfig>): string {
  const nodes = Object.keys(parsed.flow.nodes).length;
  return `flow "${parsed.flow.name}", ${nodes} nodes${parsed.warnings.length ? `, ${parsed.warnings.length} warnings` : ''}`;
}
