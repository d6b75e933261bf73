import type { DtmfDigit } from '../line/line-port.js';

/** The sixteen DTMF symbols (ITU-T Q.23): the Line port's own type, so keys pass through as they are. */
export type DtmfSymbol = DtmfDigit;

/** ITU-T Q.23 low (row) and high (column) group frequencies in Hz. */
export const DTMF_ROWS = [697, 770, 852, 941] as const;
export const DTMF_COLUMNS = [1209, 1336, 1477, 1633] as const;

/** Keypad layout: KEYPAD[row][column]. */
export const KEYPAD: readonly (readonly DtmfSymbol[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

export const DTMF_SYMBOLS: readonly DtmfSymbol[] = KEYPAD.flat();

export function isDtmfSymbol(value: string): value is DtmfSymbol {
  return (DTMF_SYMBOLS as readonly string[]).includes(value);
}

/** Row and column frequency of a digit, or undefined for anything else. */
export function dtmfPair(digit: string): { low: number; high: number } | undefined {
  for (let r = 0; r < 4; r++) {
    const c = KEYPAD[r]!.indexOf(digit.toUpperCase() as DtmfSymbol);
    if (c >= 0) return { low: DTMF_ROWS[r]!, high: DTMF_COLUMNS[c]! };
  }
  return undefined;
}
