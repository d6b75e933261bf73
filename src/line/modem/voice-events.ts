import { type DtmfDigit, isDtmfDigit } from '../line-port.js';

/** What a shielded `<DLE>x` code from the modem means to the driver. */
export type VoiceEvent =
  | { kind: 'dtmf'; digit: DtmfDigit }
  | { kind: 'dtmf-start' }
  | { kind: 'dtmf-end' }
  /** The far end is gone: busy/reorder, dial tone, loop-current break, long silence/quiet. */
  | { kind: 'far-end-gone'; reason: 'busy' | 'dial-tone' | 'silence' | 'quiet' | 'loop-break' }
  /** Someone picked up (or put down) a phone on the same line: a person took the call. */
  | { kind: 'handset'; code: string }
  | { kind: 'ring' }
  | { kind: 'ringback' }
  | { kind: 'fax-or-data'; code: string }
  | { kind: 'buffer'; problem: 'overrun' | 'underrun' }
  | { kind: 'unknown'; code: string };

/** Codes each modem family uses for a local or extension handset; overridable per profile. */
export const DEFAULT_HANDSET_CODES = ['h', 'H', 'P'] as const;

export function voiceEventOf(code: string, handsetCodes: readonly string[]): VoiceEvent {
  if (isDtmfDigit(code)) return { kind: 'dtmf', digit: code };
  if (handsetCodes.includes(code)) return { kind: 'handset', code };
  switch (code) {
    case '/':
      return { kind: 'dtmf-start' };
    case '~':
      return { kind: 'dtmf-end' };
    case 'b':
      return { kind: 'far-end-gone', reason: 'busy' };
    case 'd':
      return { kind: 'far-end-gone', reason: 'dial-tone' };
    case 's':
      return { kind: 'far-end-gone', reason: 'silence' };
    case 'q':
      return { kind: 'far-end-gone', reason: 'quiet' };
    case 'l':
      return { kind: 'far-end-gone', reason: 'loop-break' };
    case 'R':
      return { kind: 'ring' };
    case 'r':
      return { kind: 'ringback' };
    case 'c':
    case 'e':
    case 'f':
    case 'a':
      return { kind: 'fax-or-data', code };
    case 'o':
      return { kind: 'buffer', problem: 'overrun' };
    case 'u':
      return { kind: 'buffer', problem: 'underrun' };
    default:
      return { kind: 'unknown', code };
  }
}
