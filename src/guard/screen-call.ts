import type { CallRecord, PseudonymousCaller } from '../call/call-record.js';
import { CHALLENGE_FAILED_ROUTE } from '../call/call-session.js';
import type { CallActions } from '../ivr/call-actions.js';
import type { Line } from '../line/line-port.js';
import type { Clock } from '../shared/clock.js';
import { type ChallengeOptions, type ChallengeResult, runChallenge } from './challenge.js';
import type { FloodGuard } from './flood-guard.js';
import type { ScreenVerdict } from './guard-events.js';
import { refuseCall } from './refuse-call.js';

export interface ScreenCallDeps {
  guard: FloodGuard;
  line: Line;
  clock: Clock;
  challenge: Omit<ChallengeOptions, 'language'>;
  /** The flow's first language: refusals and challenges are spoken in it. */
  language: string;
  /** Runs the call session; `gate` is null when the caller is admitted without a challenge. */
  runSession: (gate: ((call: CallActions) => Promise<boolean>) | null) => Promise<CallRecord>;
  /** What a refused call is recorded as (no session runs for it). */
  refusedRecord: (route: string, startedAtMs: number) => CallRecord;
}

export interface ScreenedCall {
  verdict: ScreenVerdict;
  challenge: ChallengeResult | null;
  record: CallRecord;
}

/** Refused callers who may be people hear why; blocked numbers get a silent hang-up. */
const NOTICE_FOR: ReadonlySet<string> = new Set(['caller-limit', 'withheld']);

/**
 * One ringing call after the guard screened it (`guard.screen(caller)`, as soon as caller ID
 * arrived): refused calls are answered and dropped at once, without waiting for the answer
 * ring; challenged callers meet the challenge before the flow; the outcome goes back to the
 * guard (failures block, passes verify, completed calls make a caller known). This is what the
 * call desk does per call; the flood simulation uses it as it is.
 */
export async function handleScreenedCall(
  caller: PseudonymousCaller,
  verdict: ScreenVerdict,
  deps: ScreenCallDeps,
): Promise<ScreenedCall> {
  try {
    return await screenedCall(caller, verdict, deps);
  } finally {
    deps.guard.lineFreed();
  }
}

async function screenedCall(
  caller: PseudonymousCaller,
  verdict: ScreenVerdict,
  deps: ScreenCallDeps,
): Promise<ScreenedCall> {
  const { guard } = deps;
  if (verdict.action === 'refuse') {
    const startedAtMs = deps.clock.now();
    await refuseCall(deps.line, deps.language, NOTICE_FOR.has(verdict.reason));
    return {
      verdict,
      challenge: null,
      record: deps.refusedRecord(`refused:${verdict.reason}`, startedAtMs),
    };
  }
  let challenge: ChallengeResult | null = null;
  const gate =
    verdict.action === 'challenge'
      ? async (call: CallActions) => {
          try {
            challenge = await runChallenge(call, { ...deps.challenge, language: deps.language });
          } catch (error) {
            // Hanging up on the challenge counts as failing it, or a bot could retry forever.
            guard.challengeResult(caller, false);
            throw error;
          }
          guard.challengeResult(caller, challenge.passed);
          return challenge.passed;
        }
      : null;
  const record = await deps.runSession(gate);
  const result = challenge as ChallengeResult | null;
  // A caller who hung up during the disclosure has not shown anything either way.
  if (record.route !== CHALLENGE_FAILED_ROUTE && record.route !== 'abandoned')
    guard.callCompleted(caller);
  return { verdict, challenge: result, record };
}
