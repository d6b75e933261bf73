/**
 * Decodes the raw caller-ID message (Bellcore GR-30 / ETSI EN 300 659) that some modems print
 * as hex instead of formatted fields (`MESG = 80...` with AT+VCID=2). SDMF (type 0x04) holds a
 * date and a number; MDMF (type 0x80) holds typed parameters.
 */
export interface RawCallerIdFields {
  date?: string;
  time?: string;
  number?: string;
  name?: string;
  numberAbsent?: 'private' | 'unavailable';
  nameAbsent?: 'private' | 'unavailable';
}

export type DecodeResult = { ok: true; fields: RawCallerIdFields } | { ok: false; reason: string };

const SDMF = 0x04;
const MDMF = 0x80;

export function hexToBytes(hex: string): Uint8Array | undefined {
  const compact = hex.replace(/[\s:]/g, '');
  if (compact.length === 0 || compact.length % 2 !== 0 || /[^0-9a-fA-F]/.test(compact)) {
    return undefined;
  }
  const bytes = new Uint8Array(compact.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(compact.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function ascii(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '';
  return text;
}

function absence(value: string): 'private' | 'unavailable' | undefined {
  if (value === 'P') return 'private';
  if (value === 'O') return 'unavailable';
  return undefined;
}

/**
 * Validates length and, when present, the checksum (all bytes sum to 0 mod 256). Modems differ
 * in whether they pass the checksum on, so a message exactly one byte short of it is accepted.
 */
export function decodeCallerIdMessage(message: Uint8Array): DecodeResult {
  if (message.length < 2) return { ok: false, reason: 'message shorter than its header' };
  const type = message[0]!;
  const length = message[1]!;
  const body = message.subarray(2, 2 + length);
  if (body.length < length) {
    return { ok: false, reason: `message says ${length} bytes but holds ${body.length}` };
  }
  if (message.length >= length + 3) {
    let sum = 0;
    for (let i = 0; i < length + 3; i++) sum = (sum + message[i]!) & 0xff;
    if (sum !== 0) return { ok: false, reason: 'checksum mismatch (line noise during caller ID)' };
  }
  if (type === SDMF) return { ok: true, fields: decodeSdmf(body) };
  if (type === MDMF) return decodeMdmf(body);
  return { ok: false, reason: `unknown message type 0x${type.toString(16)}` };
}

function splitDateTime(value: string, fields: RawCallerIdFields): void {
  if (/^\d{8}$/.test(value)) {
    fields.date = value.slice(0, 4);
    fields.time = value.slice(4);
  }
}

function decodeSdmf(body: Uint8Array): RawCallerIdFields {
  const fields: RawCallerIdFields = {};
  splitDateTime(ascii(body.subarray(0, 8)), fields);
  const number = ascii(body.subarray(8));
  const absent = absence(number);
  if (absent) fields.numberAbsent = absent;
  else if (number !== '') fields.number = number;
  return fields;
}

function decodeMdmf(body: Uint8Array): DecodeResult {
  const fields: RawCallerIdFields = {};
  let i = 0;
  while (i < body.length) {
    const parameter = body[i]!;
    const length = body[i + 1];
    if (length === undefined || i + 2 + length > body.length) {
      return { ok: false, reason: `parameter 0x${parameter.toString(16)} runs past the message` };
    }
    const value = ascii(body.subarray(i + 2, i + 2 + length));
    switch (parameter) {
      case 0x01:
        splitDateTime(value, fields);
        break;
      case 0x02:
        fields.number = value;
        break;
      case 0x04: {
        const absent = absence(value);
        if (absent) fields.numberAbsent = absent;
        break;
      }
      case 0x07:
        fields.name = value;
        break;
      case 0x08: {
        const absent = absence(value);
        if (absent) fields.nameAbsent = absent;
        break;
      }
      // Other parameters (called number, call type, ...) do not concern us.
    }
    i += 2 + length;
  }
  return { ok: true, fields };
}
