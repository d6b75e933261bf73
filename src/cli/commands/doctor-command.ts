import type { Command } from 'commander';
import { runDoctor } from '../../appliance/doctor.js';
import type { Config } from '../../config/config-schema.js';
import { loadConfig } from '../../config/load-config.js';
import { EXIT_FAILURE, EXIT_OK, out } from '../cli-io.js';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check each component and say what to do; exit 0 only when nothing fails')
    .action(async () => {
      let config: Config | null = null;
      let source: string | null = null;
      let problem: string | null = null;
      try {
        ({ config, source } = loadConfig(program.opts<{ config?: string }>().config));
      } catch (error) {
        problem = (error as Error).message;
      }
      const results = await runDoctor(config, problem, source);
      for (const r of results) out(`${r.level.padEnd(4)}  ${r.component.padEnd(8)}  ${r.message}`);
      process.exitCode = results.some((r) => r.level === 'fail') ? EXIT_FAILURE : EXIT_OK;
    });
}
