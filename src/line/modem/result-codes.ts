/** Final result codes end a command; anything else before them is information text. */
export type FinalResult =
  | 'OK'
  | 'CONNECT'
  | 'VCON'
  | 'ERROR'
  | 'NO CARRIER'
  | 'BUSY'
  | 'NO DIALTONE'
  | 'NO ANSWER';

const SUCCESS: ReadonlySet<FinalResult> = new Set(['OK', 'CONNECT', 'VCON']);

/** V.250 numeric forms (ATV0). 2 is RING, which is unsolicited, never final. */
const NUMERIC: Readonly<Record<string, FinalResult>> = {
  '0': 'OK',
  '1': 'CONNECT',
  '3': 'NO CARRIER',
  '4': 'ERROR',
  '6': 'NO DIALTONE',
  '7': 'BUSY',
  '8': 'NO ANSWER',
};

export function isSuccess(result: FinalResult): boolean {
  return SUCCESS.has(result);
}

/**
 * Classifies a line as a final result code. Verbose codes may carry a suffix (`CONNECT 115200`,
 * `+CME ERROR: 3`); numeric codes count only in numeric mode, where a bare digit cannot be
 * information text.
 */
export function finalResultOf(line: string, numericMode: boolean): FinalResult | undefined {
  if (numericMode && line in NUMERIC) return NUMERIC[line];
  if (line === 'OK' || line === 'VCON' || line === 'ERROR' || line === 'BUSY') return line;
  if (line === 'NO CARRIER' || line === 'NO DIALTONE' || line === 'NO ANSWER') return line;
  if (/^CONNECT(\s|$)/.test(line)) return 'CONNECT';
  if (/^\+C(ME|MS) ERROR/.test(line)) return 'ERROR';
  return undefined;
}

/** Lines a modem sends on its own at any time, even while a command is pending. */
export function isUnsolicited(line: string, numericMode: boolean): boolean {
  if (line === 'RING' || (numericMode && line === '2')) return true;
  return /^(DATE|TIME|NMBR|NAME|MESG|DDN_NMBR|CALLER NAME|CALLER NUMBER|CID)\s*[=:]/.test(line);
}
