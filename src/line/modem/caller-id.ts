import type { CallerId } from '../line-port.js';
import { decodeCallerIdMessage, hexToBytes, type RawCallerIdFields } from './caller-id-message.js';

export type CallerIdLine =
  | { kind: 'field'; fields: RawCallerIdFields }
  | { kind: 'invalid'; reason: string }
  | { kind: 'other' };

const FIELD = /^(DATE|TIME|NMBR|NAME|DDN_NMBR|MESG|CALLER NUMBER|CALLER NAME)\s*[=:]\s*(.*)$/;

function absence(value: string): 'private' | 'unavailable' | undefined {
  const upper = value.toUpperCase();
  if (upper === 'P' || upper === 'PRIVATE') return 'private';
  if (upper === 'O' || upper === 'OUT OF AREA' || upper === 'UNAVAILABLE') return 'unavailable';
  return undefined;
}

/**
 * Parses one caller-ID line as modems print it, e.g. `NMBR = 5551234` (USR) or `NMBR=5551234`
 * (Conexant), `NMBR = P` (withheld), `MESG = 80...` (raw message in hex).
 */
export function parseCallerIdLine(line: string): CallerIdLine {
  const match = FIELD.exec(line.trim());
  if (!match) return { kind: 'other' };
  const key = match[1]!;
  const value = match[2]!.trim();
  switch (key) {
    case 'DATE':
      return { kind: 'field', fields: /^\d{4}$/.test(value) ? { date: value } : {} };
    case 'TIME':
      return { kind: 'field', fields: /^\d{4}$/.test(value) ? { time: value } : {} };
    case 'NMBR':
    case 'DDN_NMBR':
    case 'CALLER NUMBER': {
      const absent = absence(value);
      return { kind: 'field', fields: absent ? { numberAbsent: absent } : { number: value } };
    }
    case 'NAME':
    case 'CALLER NAME': {
      const absent = absence(value);
      return { kind: 'field', fields: absent ? { nameAbsent: absent } : { name: value } };
    }
    default: {
      const bytes = hexToBytes(value);
      if (!bytes) return { kind: 'invalid', reason: 'MESG is not hexadecimal' };
      const decoded = decodeCallerIdMessage(bytes);
      return decoded.ok
        ? { kind: 'field', fields: decoded.fields }
        : { kind: 'invalid', reason: decoded.reason };
    }
  }
}

/** Keeps what identifies a caller: digits and the few symbols networks send. */
export function cleanNumber(number: string): string {
  return number.replace(/[^0-9+*#]/g, '');
}

/**
 * Collects caller-ID fields, which arrive one line at a time between the first and second ring,
 * in any order and with any of them missing, into one CallerId.
 */
export class CallerIdAssembler {
  #fields: RawCallerIdFields = {};
  #seen = false;

  get hasFields(): boolean {
    return this.#seen;
  }

  add(fields: RawCallerIdFields): void {
    this.#seen = true;
    this.#fields = { ...this.#fields, ...fields };
  }

  reset(): void {
    this.#fields = {};
    this.#seen = false;
  }

  /** The caller ID so far (then cleared), or undefined if no field came. */
  take(receivedAt: Date): CallerId | undefined {
    if (!this.#seen) return undefined;
    const fields = this.#fields;
    this.reset();
    const callerId: CallerId = { receivedAt };
    const number = fields.number === undefined ? '' : cleanNumber(fields.number);
    if (number !== '') callerId.number = number;
    else callerId.withheld = fields.numberAbsent ?? 'unavailable';
    if (fields.name !== undefined && fields.name.trim() !== '') callerId.name = fields.name.trim();
    return callerId;
  }
}
