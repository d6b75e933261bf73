/**
 * What the appliance keeps about a call once it ended. No raw caller number: `callerHash` is a
 * keyed hash (see src/privacy/), `callerHint` the last two digits for a human to recognise.
 */
export interface CallRecord {
  id: string;
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  callerHash: string | null;
  callerHint: string | null;
  callerWithheld: 'private' | 'unavailable' | null;
  /** Final action: `transfer:reception`, `callback`, `info`, `hangup`, or `abandoned` (caller hung up first). */
  route: string;
  /** For callback and info routes: what the caller asked about (e.g. `appointments`). */
  topic: string | null;
  /** For callback routes with a time-window question: when the caller wants the call. */
  callbackWindow: string | null;
  /** The language the caller used (after any language choice). */
  language: string;
  /** Menu choices in order, e.g. [{ node: 'main-menu', option: 'appointments', via: 'dtmf' }]. */
  choices: MenuChoice[];
  /** Who ended the call and why. */
  endReason: CallEndReason;
  flowName: string;
  lineKind: string;
}

export interface MenuChoice {
  node: string;
  option: string;
  via: 'dtmf' | 'speech' | 'default';
  atMs: number;
}

export type CallEndReason =
  | 'caller-hangup'
  | 'appliance-hangup'
  | 'transferred'
  | 'max-duration'
  | 'line-fault'
  | 'error';

/** The caller as everything outside the call session may see it. */
export interface PseudonymousCaller {
  hash: string | null;
  hint: string | null;
  withheld: 'private' | 'unavailable' | null;
}
