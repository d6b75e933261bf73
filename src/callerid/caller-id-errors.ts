import { LinekeeperError } from '../shared/errors.js';

/**
 * A caller-ID message arrived but cannot be trusted. None of its fields are used: a number
 * with one flipped digit would be pseudonymised into a different caller.
 */
export class CallerIdMessageError extends LinekeeperError {}

/** The bytes do not add up to zero: line noise hit the message while it was sent. */
export class CallerIdChecksumError extends CallerIdMessageError {
  readonly expected: number;
  readonly received: number;

  constructor(expected: number, received: number) {
    super(
      'CALLER_ID_CHECKSUM',
      `caller-ID message damaged on the line: checksum 0x${hex(received)} where 0x${hex(expected)} was due; ` +
        'its fields are ignored (check the line interface level and for noise on the line)',
    );
    this.expected = expected;
    this.received = received;
  }
}

/** The message is structurally wrong (lengths, parameter layout, unknown type). */
export class CallerIdFormatError extends CallerIdMessageError {
  constructor(problem: string) {
    super('CALLER_ID_FORMAT', `caller-ID message unusable: ${problem}`);
  }
}

/**
 * The FSK signal stopped or lost byte framing in the middle of a message (a ring burst, an
 * extension picked up, or a level too low for the line interface).
 */
export class CallerIdSignalError extends CallerIdMessageError {
  constructor(problem: string) {
    super('CALLER_ID_SIGNAL', `caller-ID signal broken off: ${problem}`);
  }
}

/** A caller-ID field given to the encoder cannot be sent as it is. */
export class CallerIdEncodeError extends LinekeeperError {
  constructor(problem: string) {
    super('CALLER_ID_ENCODE', `cannot encode caller ID: ${problem}`);
  }
}

function hex(value: number): string {
  return value.toString(16).padStart(2, '0');
}
