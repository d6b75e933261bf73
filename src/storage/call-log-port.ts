import type { CallRecord } from '../call/call-record.js';

export interface CallLogFilter {
  /** Route prefix: `transfer` matches `transfer:reception`. */
  route?: string;
  /** Calls that started at or after this instant. */
  fromMs?: number;
  /** Calls that started before this instant. */
  toMs?: number;
}

/** The call log as staff browse it: filtered, newest first, in pages. */
export interface CallLog {
  search(filter: CallLogFilter, page: { limit: number; offset: number }): CallRecord[];
  count(filter: CallLogFilter): number;
  routes(): string[];
  /**
   * Calls that started in [fromMs, toMs), counted per hour of this machine's local clock:
   * 24 numbers, index 0 for 00:00-00:59. A day with a DST change still has 24 buckets; the
   * repeated hour of the autumn change counts into one.
   */
  callsPerLocalHour(fromMs: number, toMs: number): number[];
}
