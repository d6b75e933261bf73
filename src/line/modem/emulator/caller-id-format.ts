/** A caller-ID delivery as a phone network sends it, before a modem formats it. */
export interface EmulatedCallerId {
  /** MMDD and HHMM; omitted fields are not sent (some networks send no date). */
  date?: string;
  time?: string;
  number?: string;
  name?: string;
  /** Withheld number: `P` private, `O` out of area / unavailable. */
  withheld?: 'P' | 'O';
}

function mdmfParameter(type: number, value: string): number[] {
  return [type, value.length, ...[...value].map((c) => c.charCodeAt(0))];
}

/** Builds the Bellcore MDMF message with checksum, as a modem prints it with AT+VCID=2. */
export function mdmfHex(callerId: EmulatedCallerId): string {
  const body: number[] = [];
  if (callerId.date && callerId.time)
    body.push(...mdmfParameter(0x01, callerId.date + callerId.time));
  if (callerId.withheld) body.push(...mdmfParameter(0x04, callerId.withheld));
  else if (callerId.number) body.push(...mdmfParameter(0x02, callerId.number));
  if (callerId.name) body.push(...mdmfParameter(0x07, callerId.name));
  const message = [0x80, body.length, ...body];
  const sum = message.reduce((a, b) => (a + b) & 0xff, 0);
  message.push((0x100 - sum) & 0xff);
  return message.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');
}

/** The lines a modem prints for one caller ID in the given style. */
export function callerIdLines(
  callerId: EmulatedCallerId,
  style: 'spaced' | 'compact' | 'hex',
): string[] {
  if (style === 'hex') return [`MESG = ${mdmfHex(callerId)}`];
  const eq = style === 'spaced' ? ' = ' : '=';
  const lines: string[] = [];
  if (callerId.date !== undefined) lines.push(`DATE${eq}${callerId.date}`);
  if (callerId.time !== undefined) lines.push(`TIME${eq}${callerId.time}`);
  lines.push(`NMBR${eq}${callerId.withheld ?? callerId.number ?? 'O'}`);
  if (callerId.name !== undefined) lines.push(`NAME${eq}${callerId.name}`);
  return lines;
}
