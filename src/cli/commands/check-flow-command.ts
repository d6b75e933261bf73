import type { Command } from 'commander';
import { loadFlow } from '../../ivr/parse-flow.js';
import { formatProblem } from '../../shared/errors.js';
import { EXIT_OK, err, out, reportError } from '../cli-io.js';

export function registerCheckFlowCommand(program: Command): void {
  program
    .command('check-flow')
    .description(
      'validate an IVR flow file: schema, dangling routes, unreachable nodes, loops with no exit',
    )
    .argument('<file>', 'flow YAML file')
    .action((file: string) => {
      try {
        const { flow, warnings } = loadFlow(file);
        for (const warning of warnings) err(`warning: ${formatProblem(file, warning)}`);
        out(
          `${file}: ok (${Object.keys(flow.nodes).length} nodes, start "${flow.start}", person "${flow.person}")`,
        );
        process.exitCode = EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
