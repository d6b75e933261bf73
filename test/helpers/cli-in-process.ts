import { Command } from 'commander';

/**
 * Runs one linekeeper subcommand in this process (registered by `register`, as main.ts does)
 * and returns its exit code and everything it printed, stdout and stderr together.
 */
export async function runCommandInProcess(
  register: (program: Command) => void,
  args: readonly string[],
): Promise<{ code: number | string | undefined; text: string }> {
  const program = new Command().option('-c, --config <file>').exitOverride();
  register(program);
  const lines: string[] = [];
  const write = process.stdout.write;
  const error = process.stderr.write;
  process.stdout.write = ((chunk: string) => lines.push(chunk) > 0) as typeof write;
  process.stderr.write = ((chunk: string) => lines.push(chunk) > 0) as typeof error;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'linekeeper', ...args]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = error;
  }
  const code = process.exitCode;
  process.exitCode = undefined;
  return { code, text: lines.join('') };
}
