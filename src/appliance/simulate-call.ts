import type { CallRecord } from '../call/call-record.js';
import type { Config } from '../config/config-schema.js';
import type { Flow } from '../ivr/flow-schema.js';
import { type CallerStep, SimulatedCaller } from '../line/simulated/simulated-caller.js';
import { SimulatedLine } from '../line/simulated/simulated-line.js';
import { CallerPseudonymizer } from '../privacy/caller-pseudonymizer.js';
import { loadOrCreateDeviceSecret } from '../privacy/device-secret.js';
import type { Logger } from '../shared/logger.js';
import { VirtualClock } from '../shared/virtual-clock.js';
import { SimulatedRecognizer } from '../speech/simulated/simulated-recognizer.js';
import type { StatusSink } from '../status/status-sink-port.js';
import type { CallStore } from '../storage/call-store-port.js';
import { MemoryVoicemailStore } from '../storage/simulated/memory-voicemail-store.js';
import { CallDesk } from './call-desk.js';
import { dataPaths } from './paths.js';

export interface SimulateRequest {
  flow: Flow;
  callerNumber: string | null;
  steps: CallerStep[];
  hangupAfterMs?: number;
  personAnswers?: boolean;
  bargeIn?: boolean;
  thinkMs?: number;
  /** When the call happens (epoch ms), for business hours; default now. */
  atMs?: number;
}

export interface SimulationTimelineEntry {
  atMs: number;
  kind: 'prompt' | 'input' | 'choice' | 'route';
  detail: Record<string, unknown>;
}

export interface SimulationResult {
  callId: string;
  route: string;
  topic: string | null;
  callbackWindow: string | null;
  language: string;
  endReason: string;
  durationMs: number;
  caller: { hint: string | null; withheld: string | null };
  prompts: { id: string; text: string; outcome: string; atMs: number }[];
  inputs: { kind: string; value: string; atMs: number }[];
  choices: CallRecord['choices'];
  timeline: SimulationTimelineEntry[];
  saved: boolean;
  /** Messages left on voicemail (kept in memory only), with their length. */
  voicemail: { durationMs: number }[];
}

/**
 * Places one call on a simulated line, on a virtual clock, through the same CallDesk the
 * appliance uses; the record goes to the configured store and status sink like a real call.
 */
export async function simulateCall(
  config: Config,
  request: SimulateRequest,
  deps: { store: CallStore; status: StatusSink; logger: Logger },
): Promise<SimulationResult> {
  const voicemail = new MemoryVoicemailStore();
  const clock = new VirtualClock(request.atMs ?? Date.now());
  const line = new SimulatedLine(clock);
  const recognizer = new SimulatedRecognizer();
  const pseudonymizer = new CallerPseudonymizer(
    loadOrCreateDeviceSecret(dataPaths(config).deviceSecret),
  );
  const desk = new CallDesk({
    line,
    recognizer: config.speech.engine === 'off' ? null : recognizer,
    store: deps.store,
    clock,
    pseudonymizer,
    logger: deps.logger,
    flow: () => request.flow,
    answerOnRing: config.line.answerOnRing,
    emergencyNotice: config.call.emergencyNotice,
    maxCallMs: config.call.maxCallSeconds * 1000,
    // Simulated messages stay in memory: a simulation never stores a recording.
    voicemail: config.call.voicemail.enabled ? voicemail : null,
  });

  const timeline: SimulationTimelineEntry[] = [];
  const prompts: SimulationResult['prompts'] = [];
  const inputs: SimulationResult['inputs'] = [];
  let saved = false;
  desk.events.on('prompt-played', (e) => {
    prompts.push({ id: e.promptId, text: e.text, outcome: e.outcome, atMs: e.atMs });
    timeline.push({
      atMs: e.atMs,
      kind: 'prompt',
      detail: { id: e.promptId, text: e.text, outcome: e.outcome },
    });
  });
  desk.events.on('input-received', (e) => {
    inputs.push({ kind: e.kind, value: e.value, atMs: e.atMs });
    timeline.push({ atMs: e.atMs, kind: 'input', detail: { kind: e.kind, value: e.value } });
  });
  desk.events.on('menu-choice', (e) =>
    timeline.push({ atMs: e.choice.atMs, kind: 'choice', detail: { ...e.choice } }),
  );
  desk.events.on('routed', (e) =>
    timeline.push({ atMs: e.atMs, kind: 'route', detail: { route: e.route } }),
  );
  desk.events.on('call-saved', () => {
    saved = true;
  });
  for (const name of ['call-started', 'menu-choice', 'routed', 'call-ended'] as const) {
    desk.events.on(name, (payload) => deps.status.publishEvent(name, payload as never));
  }

  const caller = new SimulatedCaller(line, recognizer, clock, {
    steps: request.steps,
    ...(request.hangupAfterMs !== undefined ? { hangupAfterMs: request.hangupAfterMs } : {}),
    ...(request.personAnswers !== undefined ? { personAnswers: request.personAnswers } : {}),
    ...(request.bargeIn !== undefined ? { bargeIn: request.bargeIn } : {}),
    ...(request.thinkMs !== undefined ? { thinkMs: request.thinkMs } : {}),
  });
  await line.start();
  desk.start();
  try {
    const answered = await clock.run(
      line.placeCall(
        caller,
        request.callerNumber ? { number: request.callerNumber } : { withheld: 'private' },
      ),
    );
    if (answered === 'missed')
      throw new Error('the simulated call was never answered: check line.answerOnRing');
    const record = await clock.run(desk.settled());
    if (!record) throw new Error('the simulated call failed; see the log above');
    return {
      callId: record.id,
      route: record.route,
      topic: record.topic,
      callbackWindow: record.callbackWindow,
      language: record.language,
      endReason: record.endReason,
      durationMs: record.durationMs,
      caller: { hint: record.callerHint, withheld: record.callerWithheld },
      prompts,
      inputs,
      choices: record.choices,
      timeline: timeline.sort((a, b) => a.atMs - b.atMs),
      saved,
      voicemail: voicemail.list().map((m) => ({ durationMs: m.durationMs })),
    };
  } finally {
    desk.stop();
    await line.stop();
  }
}
