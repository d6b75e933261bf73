import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import type { LineEvents } from '../../../../src/line/line-port.js';
import type { EmulatedModem } from '../../../../src/line/modem/emulator/emulated-modems.js';
import { ModemEmulator } from '../../../../src/line/modem/emulator/modem-emulator.js';
import { PtyPair } from '../../../../src/line/modem/emulator/pty-pair.js';
import { ModemLine } from '../../../../src/line/modem/modem-line.js';
import type { ModemOptions } from '../../../../src/line/modem/modem-options.js';
import { silentLogger } from '../../../../src/shared/logger.js';

type Recorded = { [K in keyof LineEvents]: { event: K; payload: LineEvents[K] } }[keyof LineEvents];

/**
 * A modem line under test: socat pty pair, the emulator on one end through a real serialport,
 * ModemLine on the other through its own serialport. Records every Line event in order.
 */
export class ModemRig {
  readonly dir = mkdtempSync(join(tmpdir(), 'linekeeper-modem-'));
  readonly pty = new PtyPair(this.dir);
  readonly recorded: Recorded[] = [];
  emulator!: ModemEmulator;
  line!: ModemLine;
  #emulatorPort: SerialPort | undefined;
  readonly #modem: EmulatedModem['name'];
  readonly #options: Partial<ModemOptions>;

  constructor(modem: EmulatedModem['name'], options: Partial<ModemOptions> = {}) {
    this.#modem = modem;
    this.#options = options;
  }

  async start(): Promise<void> {
    await this.pty.start();
    await this.attachEmulator();
    this.line = new ModemLine({
      options: {
        device: this.pty.driverPath,
        commandTimeoutMs: 1000,
        reconnectInitialMs: 200,
        reconnectMaxMs: 1000,
        ringGapMs: 3000,
        ...this.#options,
      },
      log: silentLogger(),
    });
    for (const event of ['ring', 'callerId', 'dtmf', 'hangup', 'state'] as const) {
      this.line.events.on(event, (payload) => this.recorded.push({ event, payload } as Recorded));
    }
    await this.line.start();
  }

  /** Opens the emulator's end of the pty pair (again, after an unplug). */
  async attachEmulator(): Promise<void> {
    const port = new SerialPort({ path: this.pty.modemPath, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on('error', () => {});
    const previous = this.emulator;
    this.emulator = new ModemEmulator(port, this.#modem);
    this.emulator.start();
    previous?.stop();
    this.#emulatorPort = port;
  }

  /** The modem vanishes: socat goes, both pty links are removed. */
  async unplug(): Promise<void> {
    this.emulator.stop();
    await this.pty.stop();
    this.#emulatorPort = undefined;
  }

  async replug(): Promise<void> {
    await this.pty.start();
    await this.attachEmulator();
  }

  events<K extends keyof LineEvents>(name: K): LineEvents[K][] {
    return this.recorded.filter((r) => r.event === name).map((r) => r.payload as LineEvents[K]);
  }

  async stop(): Promise<void> {
    await this.line?.stop();
    this.emulator?.stop();
    if (this.#emulatorPort?.isOpen)
      await new Promise((resolve) => this.#emulatorPort!.close(resolve));
    await this.pty.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Resolves when `check` passes, polling; fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
