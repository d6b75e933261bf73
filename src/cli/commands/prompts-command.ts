import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { loadFlow } from '../../ivr/parse-flow.js';
import { createPromptLibrary } from '../../prompts/create-prompt-library.js';
import { flowPrompts } from '../../prompts/flow-prompts.js';
import { EXIT_FAILURE, EXIT_OK, err, out, reportError } from '../cli-io.js';

export function registerPromptsCommand(program: Command): void {
  const prompts = program
    .command('prompts')
    .description('offline prompt audio (espeak-ng, or recordings)');
  prompts
    .command('render')
    .description(
      'render every prompt of a flow into the cache, showing progress; already rendered prompts are skipped',
    )
    .argument('[flow]', 'flow file (default: call.flow from the config)')
    .action(async (flowFile: string | undefined) => {
      try {
        const { config } = loadConfig(program.opts<{ config?: string }>().config);
        const { flow } = loadFlow(flowFile ?? config.call.flow);
        const library = createPromptLibrary(config);
        const list = flowPrompts(flow, config.call.emergencyNotice);
        const counts = { recording: 0, cache: 0, rendered: 0 };
        let failed = 0;
        const width = String(list.length).length;
        for (const [i, prompt] of list.entries()) {
          const label = `[${String(i + 1).padStart(width)}/${list.length}] ${prompt.language} ${prompt.id}`;
          try {
            const started = performance.now();
            const { samples, source } = await library.load(prompt);
            counts[source]++;
            const seconds = (samples.length / 8000).toFixed(1);
            err(
              `${label}: ${source} (${seconds} s of audio${source === 'rendered' ? `, ${Math.round(performance.now() - started)} ms` : ''})`,
            );
          } catch (error) {
            failed++;
            err(`${label}: FAILED: ${(error as Error).message}`);
          }
        }
        out(
          `${list.length} prompts: ${counts.rendered} rendered, ${counts.cache} already cached, ${counts.recording} recorded, ${failed} failed`,
        );
        process.exitCode = failed > 0 ? EXIT_FAILURE : EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
