import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

/** Anything with tap's teardown; keeps the helpers free of tap's types. */
export interface HasTeardown {
  teardown(fn: () => unknown): void;
}

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built CLI, exactly what `npm install -g` would run; `npm test` builds it first. */
export const CLI_MAIN = join(REPO_ROOT, 'dist/cli/main.js');
export const CLINIC_FLOW = join(REPO_ROOT, 'examples/clinic.yaml');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  dir: string;
  dataDir: string;
  configPath: string;
  port: number;
  database: string;
}

/**
 * A temp directory with a config for one appliance: its own dataDir and a free web port, so
 * test files can run in parallel and never touch ./var or port 8080.
 */
export async function makeSandbox(t: HasTeardown, extraYaml = ''): Promise<Sandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-e2e-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const dataDir = join(dir, 'var');
  const configPath = join(dir, 'config.yaml');
  writeFileSync(
    configPath,
    `# written by test/helpers/spawn-appliance.ts\ndataDir: ${dataDir}\nweb:\n  port: ${port}\n${extraYaml}`,
  );
  return { dir, dataDir, configPath, port, database: join(dataDir, 'linekeeper.db') };
}

function assertBuilt(): void {
  if (!existsSync(CLI_MAIN)) {
    throw new Error(`${CLI_MAIN} is missing: run "npm run build" first (npm test does it)`);
  }
}

/** The environment a user's shell would give: without tap's loaders and coverage hooks. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_OPTIONS' || key === 'NODE_V8_COVERAGE') continue;
    if (key.startsWith('TAP') || key.startsWith('_TAPJS')) continue;
    env[key] = value;
  }
  return env;
}

function spawnCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  assertBuilt();
  return spawn(process.execPath, [CLI_MAIN, ...args], {
    cwd,
    env: { ...userEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs one CLI command to the end; kills it and rejects if it outlives `timeoutMs`. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = spawnCli(args, options.cwd ?? REPO_ROOT);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `linekeeper ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface RunningAppliance {
  readonly child: ChildProcess;
  /** Base URL without trailing slash, as printed by `linekeeper run`. */
  readonly url: string;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and resolves with how the process ended; rejects after `timeoutMs`. */
  stop(
    signal?: NodeJS.Signals,
    timeoutMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `linekeeper --config FILE run` and resolves once it prints the address of its web page.
 * Rejects with its output when it exits first or is not ready within `readyTimeoutMs`; the
 * process is killed at teardown if a test left it running.
 */
export async function startAppliance(
  t: HasTeardown,
  configPath: string,
  options: { cwd?: string; readyTimeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningAppliance> {
  const child = spawnCli(['--config', configPath, 'run'], options.cwd ?? REPO_ROOT, options.env);
  let stdout = '';
  let stderr = '';
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  t.teardown(async () => {
    if (exited) return;
    child.kill('SIGKILL');
    await exit;
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  // Generous: on a loaded 2-core CI box start-up was once seen to take ~20 s (normally ~1 s).
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `linekeeper run (pid ${child.pid}, still running: ${exited === null}) was not ready within ${readyTimeoutMs} ms\nstderr: ${stderr}`,
          ),
        ),
      readyTimeoutMs,
    );
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = /web page at (http:\/\/\S+?)\/? \(/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exit.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `linekeeper run exited (code ${code}, signal ${signal}) before it was ready\nstderr: ${stderr}`,
        ),
      );
    });
  });

  return {
    child,
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM', timeoutMs = 10_000) => {
      if (exited) return exited;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `linekeeper run did not exit within ${timeoutMs} ms of ${signal}\nstderr: ${stderr}`,
              ),
            ),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([exit, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
