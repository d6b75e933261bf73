import type { CallRecord, PseudonymousCaller } from '../call/call-record.js';
import type { Flow } from '../ivr/flow-schema.js';

/** A call the guard refused: answered and dropped, no session, recorded like any other. */
export function refusedRecord(
  id: string,
  caller: PseudonymousCaller,
  route: string,
  startedAtMs: number,
  flow: Pick<Flow, 'language' | 'name'>,
  lineKind: string,
): CallRecord {
  return {
    id,
    startedAt: new Date(startedAtMs),
    endedAt: new Date(startedAtMs),
    durationMs: 0,
    callerHash: caller.hash,
    callerHint: caller.hint,
    callerWithheld: caller.withheld,
    route,
    topic: null,
    callbackWindow: null,
    language: flow.language,
    choices: [],
    endReason: 'appliance-hangup',
    flowName: flow.name,
    lineKind,
  };
}
