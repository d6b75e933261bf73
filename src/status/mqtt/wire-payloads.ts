import type { CallRecord, PseudonymousCaller } from '../../call/call-record.js';
import {
  type ApplianceStatus,
  type CallEventName,
  GUARD_OFF,
  type GuardStatus,
  type ReportedEvents,
} from '../status-sink-port.js';

/**
 * What goes on the wire. Every payload is built field by field (never `...spread`) so that a
 * field added to a port later does not leave the box until someone decides it may.
 */

export interface WireStatus {
  device: string;
  version: string;
  line: { kind: string; state: string; detail?: string };
  speech: { kind: string; state: string; detail?: string };
  relays: { kind: string; lineSelect: string };
  currentCall: { callId: string; stage: string } | null;
  callsToday: number;
  mode: string;
  frontDeskForced: boolean;
  guard: GuardStatus;
  updatedAt: string;
}

export function toWireStatus(s: ApplianceStatus): WireStatus {
  return {
    device: s.device,
    version: s.version,
    line: withDetail({ kind: s.line.kind, state: s.line.state }, s.line.detail),
    speech: withDetail({ kind: s.speech.kind, state: s.speech.state }, s.speech.detail),
    relays: { kind: s.relays.kind, lineSelect: s.relays.lineSelect },
    currentCall: s.currentCall
      ? { callId: s.currentCall.callId, stage: s.currentCall.stage }
      : null,
    callsToday: s.callsToday,
    mode: s.mode,
    frontDeskForced: s.frontDeskForced,
    guard: wireGuard(s.guard ?? GUARD_OFF),
    updatedAt: s.updatedAt,
  };
}

function wireGuard(g: GuardStatus): GuardStatus {
  return {
    state: g.state,
    floodSince: g.floodSince,
    screened: g.screened,
    challenged: g.challenged,
    refused: g.refused,
    blockedNumbers: g.blockedNumbers,
  };
}

function withDetail<T extends object>(o: T, detail: string | undefined): T & { detail?: string } {
  return detail === undefined ? o : { ...o, detail };
}

/** Common envelope: `seq` lets a consumer check order and drop a redelivered duplicate. */
export interface WireEvent {
  event: CallEventName;
  seq: number;
  sentAt: string;
  [field: string]: unknown;
}

type EventMappers = { [K in CallEventName]: (p: ReportedEvents[K]) => Record<string, unknown> };

const MAPPERS: EventMappers = {
  // Line alerts: counts and times, and for a block only the hash and last two digits.
  'flood-started': (p) => ({
    at: iso(new Date(p.atMs)),
    trigger: p.trigger,
    callsInWindow: p.callsInWindow,
    pressureP: p.pressureP,
    threshold: p.threshold,
    windowMs: p.windowMs,
    expectedPerHour: p.expectedPerHour,
  }),
  'flood-ended': (p) => ({
    at: iso(new Date(p.atMs)),
    startedAt: iso(new Date(p.startedAtMs)),
    screened: p.screened,
    refused: p.refused,
    challenged: p.challenged,
  }),
  'caller-blocked': (p) => ({
    at: iso(new Date(p.atMs)),
    caller: { hash: p.block.hash, hint: p.block.hint },
    until: iso(new Date(p.block.untilMs)),
    level: p.block.level,
    reason: p.block.reason,
  }),
  'call-started': (p) => ({ callId: p.callId, caller: caller(p.caller), at: iso(p.at) }),
  // The prompt text is left out on purpose: a read-back prompt may quote what the caller said
  // or typed (a callback number), and the id says which prompt it was.
  'prompt-played': (p) => ({
    callId: p.callId,
    promptId: p.promptId,
    outcome: p.outcome,
    atMs: p.atMs,
  }),
  // The value is left out: for speech it is a transcript, for DTMF it may be digits of a
  // number. The menu choice it led to is its own event.
  'input-received': (p) => ({ callId: p.callId, kind: p.kind, atMs: p.atMs }),
  'menu-choice': (p) => ({
    callId: p.callId,
    choice: {
      node: p.choice.node,
      option: p.choice.option,
      via: p.choice.via,
      atMs: p.choice.atMs,
    },
  }),
  routed: (p) => ({ callId: p.callId, route: p.route, atMs: p.atMs }),
  'call-ended': (p) => ({ callId: p.record.id, record: record(p.record) }),
};

export function toWireEvent<K extends CallEventName>(
  name: K,
  payload: ReportedEvents[K],
  seq: number,
  now: Date,
): WireEvent {
  const mapper = MAPPERS[name] as (p: ReportedEvents[K]) => Record<string, unknown>;
  return { event: name, seq, sentAt: now.toISOString(), ...mapper(payload) };
}

function caller(c: PseudonymousCaller): Record<string, unknown> {
  return { hash: c.hash, hint: c.hint, withheld: c.withheld };
}

function record(r: CallRecord): Record<string, unknown> {
  return {
    id: r.id,
    startedAt: iso(r.startedAt),
    endedAt: iso(r.endedAt),
    durationMs: r.durationMs,
    caller: { hash: r.callerHash, hint: r.callerHint, withheld: r.callerWithheld },
    route: r.route,
    topic: r.topic,
    callbackWindow: r.callbackWindow,
    language: r.language,
    choices: r.choices.map((c) => ({ node: c.node, option: c.option, via: c.via, atMs: c.atMs })),
    endReason: r.endReason,
    flowName: r.flowName,
    lineKind: r.lineKind,
  };
}

function iso(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'invalid-date' : d.toISOString();
}
