import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PROBE = fileURLToPath(new URL('./binding-probe.ts', import.meta.url));
const TS_LOADER = join(REPO_ROOT, 'node_modules/@tapjs/typescript/dist/esm/import.mjs');

export interface ProbeOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** One JSON object per line the probe printed on stdout. */
  reports: Array<Record<string, unknown>>;
  stderr: string;
}

/**
 * Runs binding-probe.ts in a child process: if libvosk ever segfaults, the child dies with a
 * signal and the test reports it, instead of tap itself dying.
 */
export function runProbe(
  scenario: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<ProbeOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', pathToFileURL(TS_LOADER).href, PROBE, scenario, ...args],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          TS_NODE_TRANSPILE_ONLY: '1',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const reports = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, signal, reports, stderr });
    });
  });
}

/** The vendored libvosk, fetched with scripts/fetch-libvosk.sh when it is not there yet. */
export function ensureLibvosk(): { path: string } | { error: string } {
  const path = join(REPO_ROOT, 'vendor/vosk/linux-x86_64/libvosk.so');
  if (process.arch !== 'x64')
    return { error: `no libvosk fetch path is tested on ${process.arch}` };
  if (existsSync(path)) return { path };
  const run = spawnSync('bash', [join(REPO_ROOT, 'scripts/fetch-libvosk.sh')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (run.status !== 0 || !existsSync(path)) {
    return { error: `scripts/fetch-libvosk.sh failed (exit ${run.status}): ${run.stderr.trim()}` };
  }
  return { path };
}
