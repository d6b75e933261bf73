import type { CallRecord } from '../call/call-record.js';

/** A call as the page and the JSON API show it: pseudonymous, no hash (it is a lookup key). */
export interface CallView {
  id: string;
  startedAt: string;
  durationSeconds: number;
  caller: string;
  route: string;
  topic: string | null;
  endReason: string;
  choices: string[];
}

export function toCallView(record: CallRecord): CallView {
  return {
    id: record.id,
    startedAt: record.startedAt.toISOString(),
    durationSeconds: Math.round(record.durationMs / 100) / 10,
    caller: record.callerHint
      ? `…${record.callerHint}`
      : record.callerWithheld === 'private'
        ? 'withheld'
        : 'unknown',
    route: record.route,
    topic: record.topic,
    endReason: record.endReason,
    choices: record.choices.map((c) => `${c.node}: ${c.option} (${c.via})`),
  };
}
