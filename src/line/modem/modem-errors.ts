import { LinekeeperError } from '../../shared/errors.js';

/**
 * Errors of the voice-modem adapter. Codes are stable (MQTT, logs and tests match on them); each
 * message names the device and what a technician can do next.
 */
export class ModemError extends LinekeeperError {}

/** The modem gave no final result code in time: hung firmware, unplugged cable, wrong port. */
export class ModemTimeoutError extends ModemError {
  readonly command: string;
  readonly timeoutMs: number;

  constructor(device: string, command: string, timeoutMs: number) {
    super(
      'MODEM_TIMEOUT',
      `modem on ${device} did not answer ${printable(command)} within ${timeoutMs} ms: check the USB cable, ` +
        'power-cycle the modem or run `linekeeper modem-probe`',
    );
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}

/** The modem answered with ERROR (or another failure code) to a command it should support. */
export class ModemCommandError extends ModemError {
  readonly command: string;
  readonly result: string;

  constructor(device: string, command: string, result: string) {
    super(
      'MODEM_COMMAND_FAILED',
      `modem on ${device} answered ${result} to ${printable(command)}: the modem profile may not fit ` +
        'this modem; run `linekeeper modem-probe` and set line.modem.profile',
    );
    this.command = command;
    this.result = result;
  }
}

/** Several probes in a row failed: the line is down until the driver re-initialises the modem. */
export class ModemNotRespondingError extends ModemError {
  constructor(device: string, detail: string, options?: { cause?: unknown }) {
    super(
      'MODEM_NOT_RESPONDING',
      `modem on ${device} stopped responding (${detail}); the driver keeps retrying. If this ` +
        'persists, unplug and replug the modem or check /dev/serial/by-id',
      options,
    );
  }
}

/** The serial device could not be opened, or it vanished (unplugged) while in use. */
export class ModemPortError extends ModemError {
  constructor(device: string, detail: string, options?: { cause?: unknown }) {
    super(
      'MODEM_PORT_FAILED',
      `serial port ${device}: ${detail}. Check that the modem is plugged in, that the path under ` +
        '/dev/serial/by-id is right and that linekeeper may open it (group dialout)',
      options,
    );
  }
}

/** The modem does not do what the configured profile needs (no voice mode, no such format). */
export class ModemUnsupportedError extends ModemError {
  constructor(device: string, detail: string) {
    super(
      'MODEM_UNSUPPORTED',
      `modem on ${device} ${detail}: it needs a V.253 voice modem (see hardware/modems.md)`,
    );
  }
}

/** A Line operation was asked for in a state where it makes no sense (e.g. play while idle). */
export class ModemStateError extends ModemError {
  constructor(operation: string, state: string) {
    super('MODEM_BAD_STATE', `cannot ${operation} while the modem line is ${state}`);
  }
}

/** Options for the modem adapter are out of range; message names the config key. */
export class ModemConfigError extends ModemError {
  constructor(key: string, problem: string) {
    super('MODEM_CONFIG', `line.modem.${key}: ${problem}`);
  }
}

/** Shows control bytes so a technician can tell `AT+VTX` from a DLE sequence in logs. */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code < 0x20 || code > 0x7e ? `<0x${code.toString(16).padStart(2, '0')}>` : ch;
  }
  return out;
}
