import type { CallerId } from '../line/line-port.js';
import type { CallerIdMessage } from './caller-id-message.js';

/** What the call session needs from a decoded message: number (or why none) and name. */
export function toLineCallerId(message: CallerIdMessage, receivedAt: Date): CallerId {
  const callerId: CallerId = { receivedAt };
  const number = (message.number ?? '').replace(/[^0-9+*#]/g, '');
  if (number !== '') callerId.number = number;
  else callerId.withheld = message.numberAbsence ?? 'unavailable';
  const name = message.name?.trim();
  if (name) callerId.name = name;
  return callerId;
}
