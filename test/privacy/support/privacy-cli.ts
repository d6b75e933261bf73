import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CliResult } from '../../helpers/spawn-appliance.js';

const dist = (path: string) => fileURLToPath(new URL(`../../../dist/${path}`, import.meta.url));

const COMMANDER = pathToFileURL(createRequire(import.meta.url).resolve('commander')).href;

/**
 * Runs the built CLI's `privacy` and `simulate` commands. Until src/cli/main.ts registers
 * `registerPrivacyCommand` (the lead's step), this builds the same commander program around
 * the built command modules; afterwards `runCli` from spawn-appliance does the same job.
 */
export function runPrivacyCli(dir: string, args: readonly string[]): Promise<CliResult> {
  const entry = join(dir, 'privacy-cli.mjs');
  writeFileSync(
    entry,
    `import { Command, CommanderError } from ${JSON.stringify(COMMANDER)};
import { registerPrivacyCommand } from ${JSON.stringify(dist('cli/commands/privacy-command.js'))};
import { registerSimulateCommand } from ${JSON.stringify(dist('cli/commands/simulate-command.js'))};
const program = new Command().name('linekeeper').option('-c, --config <file>').exitOverride();
registerPrivacyCommand(program);
registerSimulateCommand(program);
try { await program.parseAsync(process.argv); }
catch (error) { if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2; else throw error; }
`,
  );
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_V8_COVERAGE;
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: fileURLToPath(new URL('../../../', import.meta.url)),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
