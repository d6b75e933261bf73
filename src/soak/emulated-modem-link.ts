import { SerialPort } from 'serialport';
import { ModemEmulator } from '../line/modem/emulator/modem-emulator.js';
import { PtyPair } from '../line/modem/emulator/pty-pair.js';

/**
 * The modem end of the soak: a socat pty pair whose driver end the appliance opens as its
 * modem device, and a ModemEmulator on the other end. Unplugging stops socat (the driver sees
 * its device vanish); replugging starts a new pair on the same paths and a fresh emulator, as
 * a USB modem that comes back after a power cycle.
 */
export class EmulatedModemLink {
  readonly #pty: PtyPair;
  #port: SerialPort | null = null;
  #emulator: ModemEmulator | null = null;
  #responsive = true;

  constructor(directory: string) {
    this.#pty = new PtyPair(directory, 'soak-modem');
  }

  /** The path the appliance's config names as `line.modem.device`. */
  get devicePath(): string {
    return this.#pty.driverPath;
  }

  get plugged(): boolean {
    return this.#emulator !== null;
  }

  get responsive(): boolean {
    return this.#responsive;
  }

  /** The emulator while plugged in; null while unplugged. */
  get emulator(): ModemEmulator | null {
    return this.#emulator;
  }

  async plug(): Promise<void> {
    if (this.#emulator) return;
    await this.#pty.start();
    const port = new SerialPort({ path: this.#pty.modemPath, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    // The far end vanishing (unplug) surfaces as errors here; the link state is ours to track.
    port.on('error', () => {});
    const emulator = new ModemEmulator(port, 'conexant');
    emulator.start();
    emulator.setResponsive(this.#responsive);
    this.#port = port;
    this.#emulator = emulator;
  }

  async unplug(): Promise<void> {
    const port = this.#port;
    this.#emulator?.stop();
    this.#emulator = null;
    this.#port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    await this.#pty.stop();
  }

  /** A hung modem reads and says nothing (no RING, no OK) until made responsive again. */
  setResponsive(responsive: boolean): void {
    this.#responsive = responsive;
    this.#emulator?.setResponsive(responsive);
  }
}
