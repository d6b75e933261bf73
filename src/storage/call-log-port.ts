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
}
