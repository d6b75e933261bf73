import type { CallRecord } from '../call/call-record.js';

export interface CallQuery {
  limit: number;
  /** Calls that started before this id's call (paging, newest first). */
  before?: string;
}

/** The port to call storage (SQLite on the appliance). */
export interface CallStore {
  readonly kind: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Durable once resolved: a power cut after this does not lose the record. */
  saveCall(record: CallRecord): Promise<void>;
  recentCalls(query: CallQuery): Promise<CallRecord[]>;
  countCallsSince(since: Date): Promise<number>;
  /** A token that changes whenever any process commits; lets the web page notice new calls. */
  changeToken(): number;
}
