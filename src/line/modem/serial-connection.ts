import { createWriteStream, type WriteStream } from 'node:fs';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../shared/logger.js';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import { AtParser, type ModemToken } from './at-parser.js';
import { ModemPortError } from './modem-errors.js';

export interface ConnectionEvents {
  token: ModemToken;
  /** The port closed under us (unplug, pty gone). Not emitted for our own close(). */
  lost: { error: Error };
}

/** An open byte stream plus the way to really close it (destroy() alone leaks the fd). */
export interface OpenedPort {
  stream: Duplex;
  close(): Promise<void>;
}

/** Opens a port; tests and the probe may pass their own, production uses serialport. */
export type PortOpener = (path: string, baudRate: number) => Promise<OpenedPort>;

export const openSerialPort: PortOpener = async (path, baudRate) => {
  // Lazy: loading the native binding only when a modem is really used keeps tests light.
  const { SerialPort } = await import('serialport');
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((error) => (error ? reject(error) : resolve())),
  );
  return {
    stream: port,
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen || port.closing) resolve();
        else port.close(() => resolve());
      }),
  };
};

/** A hung USB driver can make close() never call back; never let that block recovery. */
const CLOSE_GRACE_MS = 1000;

/**
 * The byte pipe to one modem: serial port in, AtParser, tokens out; writes honour back-pressure
 * (`drain`) so audio is never dropped on a slow USB link. Optionally tees received bytes to a
 * capture file for `linekeeper modem-replay`.
 */
export class SerialConnection {
  readonly events = new TypedEmitter<ConnectionEvents>();
  readonly parser = new AtParser();
  readonly #path: string;
  readonly #baudRate: number;
  readonly #opener: PortOpener;
  readonly #log: Logger;
  readonly #capturePath: string | undefined;
  #port: Duplex | undefined;
  #opened: OpenedPort | undefined;
  #capture: WriteStream | undefined;
  #closing = false;

  constructor(options: {
    path: string;
    baudRate: number;
    log: Logger;
    opener?: PortOpener;
    capturePath?: string;
  }) {
    this.#path = options.path;
    this.#baudRate = options.baudRate;
    this.#opener = options.opener ?? openSerialPort;
    this.#log = options.log;
    this.#capturePath = options.capturePath;
  }

  get isOpen(): boolean {
    return this.#port !== undefined;
  }

  async open(): Promise<void> {
    this.#closing = false;
    this.parser.commandMode();
    let opened: OpenedPort;
    try {
      opened = await this.#opener(this.#path, this.#baudRate);
    } catch (error) {
      throw new ModemPortError(this.#path, `cannot open (${(error as Error).message})`, {
        cause: error,
      });
    }
    const port = opened.stream;
    this.#port = port;
    this.#opened = opened;
    if (this.#capturePath) this.#capture = createWriteStream(this.#capturePath, { flags: 'a' });
    port.on('data', (chunk: Buffer) => {
      this.#capture?.write(chunk);
      let tokens: ModemToken[];
      try {
        tokens = this.parser.parse(chunk);
      } catch (error) {
        // The parser is total over bytes; this guards the line against a future bug in it.
        this.#log.error({ err: error }, 'modem parser failed on received bytes');
        return;
      }
      for (const token of tokens) this.events.emit('token', token);
    });
    const lost = (error?: Error) => {
      if (this.#port !== port) return;
      this.#port = undefined;
      this.#capture?.end();
      this.#capture = undefined;
      if (!this.#closing) {
        const reason = error ?? new Error('port closed');
        this.events.emit('lost', {
          error: new ModemPortError(this.#path, `lost (${reason.message})`, { cause: reason }),
        });
      }
    };
    port.on('error', (error: Error) => {
      this.#log.warn({ err: error }, 'serial port error');
      lost(error);
      void closeQuietly(opened);
    });
    port.on('close', () => lost());
  }

  /** Writes and waits until the bytes are handed to the OS (or queued within the high-water mark). */
  write(bytes: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port) return Promise.reject(new ModemPortError(this.#path, 'is not open'));
    return new Promise<void>((resolve, reject) => {
      const flushed = port.write(bytes, (error) => {
        if (error)
          reject(
            new ModemPortError(this.#path, `write failed (${error.message})`, { cause: error }),
          );
      });
      if (flushed) {
        resolve();
        return;
      }
      // A port that dies mid-write never drains: settle on close too, or the caller hangs.
      const settle = () => {
        port.off('drain', settle);
        port.off('close', settle);
        if (this.#port === port) resolve();
        else reject(new ModemPortError(this.#path, 'closed while writing'));
      };
      port.on('drain', settle);
      port.on('close', settle);
    });
  }

  async close(): Promise<void> {
    const opened = this.#opened;
    this.#closing = true;
    this.#port = undefined;
    this.#opened = undefined;
    this.#capture?.end();
    this.#capture = undefined;
    if (opened) await closeQuietly(opened);
  }
}

async function closeQuietly(opened: OpenedPort): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    opened.close().catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    }),
  ]);
  clearTimeout(timer);
  opened.stream.destroy();
}
