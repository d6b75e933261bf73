import type { FaultKind, FaultRecord } from './fault-injector.js';
import type { CallResult } from './place-call.js';

/**
 * routed: answered, recorded, and the route the caller's script asks for.
 * recorded: answered and recorded, but a fault cut the call short of its route.
 * misrouted: answered and recorded with another route although no fault touched it (a defect).
 * front-desk: not answered while line-select was released: the desk phone took it (fail-safe).
 * cut-by-kill: answered, then the appliance was SIGKILLed mid-call: no record can exist.
 * challenged: a new caller met the flood guard's challenge and could not answer it (the harness
 * hears audio, not the digits' text), so the call ended at the challenge.
 * lost: unanswered while the line was the appliance's, or answered and never recorded.
 */
export type Verdict =
  | 'routed'
  | 'recorded'
  | 'misrouted'
  | 'front-desk'
  | 'cut-by-kill'
  | 'challenged'
  | 'lost';

export interface JudgedCall extends CallResult {
  verdict: Verdict;
  faults: FaultKind[];
}

export function faultsDuring(call: CallResult, faults: readonly FaultRecord[]): FaultKind[] {
  return faults
    .filter((f) => {
      const end = f.recoveredAt ?? Number.POSITIVE_INFINITY;
      return f.injectedAt <= call.endedAt && end >= call.ringAt;
    })
    .map((f) => f.kind);
}

/** Faults that may cut a call short; a clock jump must not change what happens to a call. */
const DISRUPTIVE: ReadonlySet<FaultKind> = new Set([
  'modem-unplug',
  'modem-hang',
  'broker-restart',
  'appliance-kill',
  'disk-full',
]);

export function judge(call: CallResult, faults: readonly FaultRecord[]): JudgedCall {
  const during = faultsDuring(call, faults);
  const disruptive = during.filter((k) => DISRUPTIVE.has(k));
  let verdict: Verdict;
  if (call.answeredAt === null) verdict = call.frontDesk ? 'front-desk' : 'lost';
  else if (call.record && call.challenged && !call.expected.includes(call.record.route))
    verdict = 'challenged';
  else if (call.record)
    verdict = call.expected.includes(call.record.route)
      ? 'routed'
      : disruptive.length > 0
        ? 'recorded'
        : 'misrouted';
  else verdict = during.includes('appliance-kill') ? 'cut-by-kill' : 'lost';
  return { ...call, verdict, faults: during };
}
