import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';

const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

/**
 * A real Mosquitto for the soak: loopback, anonymous, no persistence (a restart loses retained
 * messages, so the appliance must publish them again). Stop and start keep the same port.
 */
export class SoakBroker {
  readonly #dir: string;
  #port = 0;
  #child: ChildProcess | null = null;

  constructor(directory: string) {
    this.#dir = directory;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.#port}`;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  async start(): Promise<void> {
    if (this.#child) return;
    if (this.#port === 0) this.#port = await freePort();
    const configPath = join(this.#dir, 'mosquitto.conf');
    writeFileSync(
      configPath,
      [
        'allow_anonymous true',
        'persistence false',
        `user ${userInfo().username}`,
        'log_dest stderr',
        'log_type error',
        'log_type notice',
        'log_type information',
        `listener ${this.#port} 127.0.0.1`,
        '',
      ].join('\n'),
    );
    // A small sh guard stops the broker when our end of its stdin closes, so a harness that
    // dies without cleaning up never leaves a broker behind.
    const guard =
      'exec 3<&0; "$0" -c "$1" 3<&- & m=$!; ( read -r _ <&3; kill "$m" 2>/dev/null ) & wait "$m"';
    const child = spawn('/bin/sh', ['-c', guard, MOSQUITTO, configPath], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    this.#child = child;
    let output = '';
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`mosquitto did not start within 10 s:\n${output}`)),
        10_000,
      );
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        output = (output + chunk).slice(-4000);
        if (/mosquitto version \S+ running/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (this.#child === child) this.#child = null;
        reject(new Error(`mosquitto exited (${code}) while starting:\n${output}`));
      });
    });
    try {
      await started;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin?.end();
    await exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
