import { spawn } from 'node:child_process';
import { PromptRenderError, toolMissing } from './prompt-errors.js';

const PACKAGES: Record<string, string> = { 'espeak-ng': 'espeak-ng', sox: 'sox' };

/** Runs a program with `input` on stdin and returns its stdout; errors name the program. */
export function runTool(
  command: string,
  args: string[],
  input: Uint8Array | string | null,
  timeoutMs = 30_000,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    // Without this listener a missing program would crash the whole process.
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? toolMissing(command, PACKAGES[command] ?? command) : error);
    });
    child.stdin.on('error', () => {});
    child.on('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(out));
      else {
        const detail = Buffer.concat(err).toString().trim().split('\n')[0] ?? '';
        reject(
          new PromptRenderError(
            'PROMPT_TOOL_FAILED',
            `${command} failed (${signal ?? `exit ${code}`}): ${detail}`,
          ),
        );
      }
    });
    child.stdin.end(input ?? '');
  });
}
