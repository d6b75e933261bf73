import {
  CallerIdChecksumError,
  CallerIdEncodeError,
  CallerIdFormatError,
} from './caller-id-errors.js';

/**
 * Caller-ID messages as Telcordia GR-30 and ETSI EN 300 659-3 define them: type byte, length
 * byte, body, checksum (two's complement of the sum of everything before it). SDMF (type 0x04)
 * is a fixed date/time plus number; MDMF (type 0x80) is a list of typed parameters.
 */
export type AbsenceReason = 'unavailable' | 'private';

export interface CallerIdDateTime {
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export interface CallerIdFields {
  dateTime?: CallerIdDateTime;
  number?: string;
  numberAbsence?: AbsenceReason;
  name?: string;
  nameAbsence?: AbsenceReason;
  /** ETSI "called line identity" (the number dialled), on lines with several numbers. */
  calledNumber?: string;
}

export interface CallerIdMessage extends CallerIdFields {
  format: 'sdmf' | 'mdmf';
  messageType: number;
  /** MDMF parameters we do not interpret, as `{type: hex}` for the technician. */
  otherParameters?: Record<string, string>;
  /** Values present but not meaningful (e.g. a date of 13/45); the rest of the message stands. */
  warnings?: string[];
}

export const SDMF_CALLER_ID = 0x04;
export const MDMF_CALLER_ID = 0x80;

const PARAM = {
  dateTime: 0x01,
  number: 0x02,
  calledNumber: 0x03,
  numberAbsence: 0x04,
  name: 0x07,
  nameAbsence: 0x08,
} as const;

/** Whether a byte can start a caller-ID message (the decoder ignores anything else). */
export function isCallerIdMessageType(byte: number): boolean {
  return byte === SDMF_CALLER_ID || byte === MDMF_CALLER_ID;
}

export function checksumOf(bytes: ArrayLike<number>, length = bytes.length): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum = (sum + bytes[i]!) & 0xff;
  return (0x100 - sum) & 0xff;
}

/** Parses a whole message including its checksum byte; throws rather than guess. */
export function parseCallerIdMessage(bytes: Uint8Array): CallerIdMessage {
  if (bytes.length < 3) throw new CallerIdFormatError(`only ${bytes.length} bytes`);
  const type = bytes[0]!;
  const length = bytes[1]!;
  if (bytes.length !== length + 3) {
    throw new CallerIdFormatError(
      `header says ${length} bytes of body but ${bytes.length - 3} arrived`,
    );
  }
  const expected = checksumOf(bytes, length + 2);
  if (bytes[length + 2] !== expected) throw new CallerIdChecksumError(expected, bytes[length + 2]!);
  const body = bytes.subarray(2, 2 + length);
  if (type === SDMF_CALLER_ID) return parseSdmf(body);
  if (type === MDMF_CALLER_ID) return parseMdmf(body);
  throw new CallerIdFormatError(`message type 0x${type.toString(16)} is not caller ID`);
}

function parseSdmf(body: Uint8Array): CallerIdMessage {
  if (body.length < 9)
    throw new CallerIdFormatError(`SDMF body of ${body.length} bytes is too short`);
  const message: CallerIdMessage = { format: 'sdmf', messageType: SDMF_CALLER_ID };
  readDateTime(text(body.subarray(0, 8)), message);
  const number = text(body.subarray(8));
  const absence = absenceOf(number);
  if (absence) message.numberAbsence = absence;
  else message.number = number;
  return message;
}

function parseMdmf(body: Uint8Array): CallerIdMessage {
  const message: CallerIdMessage = { format: 'mdmf', messageType: MDMF_CALLER_ID };
  let i = 0;
  while (i < body.length) {
    const type = body[i]!;
    const length = body[i + 1];
    if (length === undefined || i + 2 + length > body.length) {
      throw new CallerIdFormatError(`parameter 0x${type.toString(16)} runs past the message end`);
    }
    const raw = body.subarray(i + 2, i + 2 + length);
    const value = text(raw);
    switch (type) {
      case PARAM.dateTime:
        readDateTime(value, message);
        break;
      case PARAM.number:
        message.number = value;
        break;
      case PARAM.calledNumber:
        message.calledNumber = value;
        break;
      case PARAM.name:
        message.name = value;
        break;
      case PARAM.numberAbsence:
      case PARAM.nameAbsence: {
        const absence = absenceOf(value);
        if (!absence) warn(message, `reason for absence '${value}' is neither O nor P`);
        else if (type === PARAM.numberAbsence) message.numberAbsence = absence;
        else message.nameAbsence = absence;
        break;
      }
      default:
        message.otherParameters ??= {};
        message.otherParameters[`0x${type.toString(16).padStart(2, '0')}`] =
          Buffer.from(raw).toString('hex');
    }
    i += 2 + length;
  }
  return message;
}

function readDateTime(value: string, message: CallerIdMessage): void {
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(value);
  const [month, day, hour, minute] = m ? m.slice(1).map(Number) : [];
  if (
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour > 23 ||
    minute > 59
  ) {
    warn(message, `date/time '${value}' is not MMDDHHMM`);
    return;
  }
  message.dateTime = { month, day, hour, minute };
}

function warn(message: CallerIdMessage, text: string): void {
  message.warnings ??= [];
  message.warnings.push(text);
}

function absenceOf(value: string): AbsenceReason | undefined {
  if (value === 'O') return 'unavailable';
  if (value === 'P') return 'private';
  return undefined;
}

/** Printable ASCII only: control bytes in a name would end up in logs and on the web page. */
function text(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
  return out;
}

// --- building (the encoder side: test audio, and a future line simulator) ---------------

export function buildSdmf(fields: CallerIdFields): Uint8Array {
  const dateTime = fields.dateTime ? formatDateTime(fields.dateTime) : '00000000';
  const number = fields.numberAbsence ? absenceCode(fields.numberAbsence) : (fields.number ?? '');
  if (number === '') throw new CallerIdEncodeError('SDMF needs a number or a reason for absence');
  return frame(SDMF_CALLER_ID, ascii(dateTime + number));
}

export function buildMdmf(fields: CallerIdFields): Uint8Array {
  const params: number[] = [];
  const add = (type: number, value: string) => {
    const bytes = ascii(value);
    if (bytes.length > 255)
      throw new CallerIdEncodeError(`parameter 0x${type.toString(16)} too long`);
    params.push(type, bytes.length, ...bytes);
  };
  if (fields.dateTime) add(PARAM.dateTime, formatDateTime(fields.dateTime));
  if (fields.number !== undefined) add(PARAM.number, fields.number);
  if (fields.calledNumber !== undefined) add(PARAM.calledNumber, fields.calledNumber);
  if (fields.numberAbsence) add(PARAM.numberAbsence, absenceCode(fields.numberAbsence));
  if (fields.name !== undefined) add(PARAM.name, fields.name);
  if (fields.nameAbsence) add(PARAM.nameAbsence, absenceCode(fields.nameAbsence));
  return frame(MDMF_CALLER_ID, Uint8Array.from(params));
}

function frame(type: number, body: Uint8Array): Uint8Array {
  if (body.length > 255) throw new CallerIdEncodeError(`message body of ${body.length} bytes`);
  const out = new Uint8Array(body.length + 3);
  out[0] = type;
  out[1] = body.length;
  out.set(body, 2);
  out[body.length + 2] = checksumOf(out, body.length + 2);
  return out;
}

function formatDateTime(d: CallerIdDateTime): string {
  return [d.month, d.day, d.hour, d.minute].map((v) => String(v).padStart(2, '0')).join('');
}

function absenceCode(reason: AbsenceReason): string {
  return reason === 'private' ? 'P' : 'O';
}

function ascii(value: string): Uint8Array {
  if (/[^\x20-\x7e]/.test(value))
    throw new CallerIdEncodeError(`'${value}' has characters outside printable ASCII`);
  return Uint8Array.from(value, (c) => c.charCodeAt(0));
}
