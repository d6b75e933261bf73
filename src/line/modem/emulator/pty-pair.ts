import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LinekeeperError } from '../../../shared/errors.js';

/**
 * Two connected pseudo-terminals made by socat: the driver opens `driverPath` with serialport
 * as if it were /dev/ttyACM0, the emulator opens `modemPath`. Stopping socat removes both
 * links, which the driver sees as an unplugged modem.
 */
export class PtyPair {
  readonly driverPath: string;
  readonly modemPath: string;
  #socat: ChildProcess | undefined;

  constructor(directory: string, name = 'modem') {
    this.driverPath = join(directory, `${name}-driver`);
    this.modemPath = join(directory, `${name}-emulator`);
  }

  get running(): boolean {
    return this.#socat !== undefined;
  }

  async start(timeoutMs = 5000): Promise<void> {
    if (this.#socat) return;
    const socat = spawn(
      'socat',
      [`pty,raw,echo=0,link=${this.driverPath}`, `pty,raw,echo=0,link=${this.modemPath}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    socat.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const failed = new Promise<never>((_, reject) => {
      socat.once('error', (error) =>
        reject(
          new LinekeeperError(
            'PTY_PAIR_FAILED',
            `cannot run socat (${error.message}): apt-get install socat`,
          ),
        ),
      );
      socat.once('exit', (code) =>
        reject(
          new LinekeeperError(
            'PTY_PAIR_FAILED',
            `socat exited with ${String(code)}: ${stderr.trim()}`,
          ),
        ),
      );
    });
    failed.catch(() => {});
    this.#socat = socat;
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(this.driverPath) || !existsSync(this.modemPath)) {
      if (Date.now() > deadline) {
        await this.stop();
        throw new LinekeeperError(
          'PTY_PAIR_FAILED',
          `socat made no pty links within ${timeoutMs} ms: ${stderr.trim()}`,
        );
      }
      await Promise.race([new Promise((resolve) => setTimeout(resolve, 10)), failed]);
    }
  }

  /** Ends socat and waits until it has removed its links. */
  async stop(): Promise<void> {
    const socat = this.#socat;
    this.#socat = undefined;
    if (!socat || socat.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
    socat.kill('SIGTERM');
    await exited;
  }
}
