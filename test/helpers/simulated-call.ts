import type { CallEvents } from '../../src/call/call-events.js';
import type { CallRecord } from '../../src/call/call-record.js';
import { CallSession } from '../../src/call/call-session.js';
import type { Flow } from '../../src/ivr/flow-schema.js';
import { loadFlow } from '../../src/ivr/parse-flow.js';
import { type CallerScript, SimulatedCaller } from '../../src/line/simulated/simulated-caller.js';
import { SimulatedLine } from '../../src/line/simulated/simulated-line.js';
import { silentLogger } from '../../src/shared/logger.js';
import { TypedEmitter } from '../../src/shared/typed-emitter.js';
import { VirtualClock } from '../../src/shared/virtual-clock.js';
import { SimulatedRecognizer } from '../../src/speech/simulated/simulated-recognizer.js';
import type { VoicemailStore } from '../../src/storage/voicemail-store-port.js';

export interface SimulatedCallOutcome {
  record: CallRecord;
  line: SimulatedLine;
  events: { name: keyof CallEvents; payload: unknown }[];
  prompts: string[];
}

/** Runs one CallSession against a scripted caller on a virtual clock. */
export async function runSimulatedCall(
  script: CallerScript,
  options: {
    flow?: Flow;
    emergencyNotice?: string | null;
    maxCallMs?: number;
    speech?: boolean;
    /** Wall-clock start of the call (epoch ms), for business hours. */
    atMs?: number;
    voicemail?: VoicemailStore | null;
    /** The call's clock (a subclass may step its wall time); atMs is ignored when given. */
    clock?: VirtualClock;
    /** Called with every call event as it happens (e.g. to step the clock mid-call). */
    onEvent?: (name: keyof CallEvents) => void;
  } = {},
): Promise<SimulatedCallOutcome> {
  const clock = options.clock ?? new VirtualClock(options.atMs ?? Date.UTC(2026, 10, 24, 9, 0));
  const line = new SimulatedLine(clock);
  const recognizer = new SimulatedRecognizer();
  const events = new TypedEmitter<CallEvents>();
  const seen: SimulatedCallOutcome['events'] = [];
  for (const name of [
    'call-started',
    'prompt-played',
    'input-received',
    'menu-choice',
    'routed',
    'call-ended',
  ] as const) {
    events.on(name, (payload) => {
      seen.push({ name, payload });
      options.onEvent?.(name);
    });
  }
  const caller = new SimulatedCaller(line, recognizer, clock, script);
  await line.start();
  const recognition =
    options.speech === false ? null : recognizer.createSession({ sampleRate: 8000 });
  let session: Promise<CallRecord> | null = null;
  line.events.on('ring', ({ count }) => {
    if (count !== 2 || session) return;
    session = new CallSession({
      callId: 'test-call',
      caller: { hash: null, hint: null, withheld: 'private' },
      flow: options.flow ?? loadFlow('builtin:clinic').flow,
      line,
      recognition,
      clock,
      events,
      logger: silentLogger(),
      emergencyNotice:
        options.emergencyNotice === undefined
          ? 'If this is an emergency, hang up and dial 112.'
          : options.emergencyNotice,
      maxCallMs: options.maxCallMs ?? 600_000,
      voicemail: options.voicemail ?? null,
    }).run();
  });
  await clock.run(line.placeCall(caller, { withheld: 'private' }));
  if (!session) throw new Error('the call was not answered');
  const record = await clock.run(session as Promise<CallRecord>);
  return {
    record,
    line,
    events: seen,
    prompts: line.played.map((p) => `${p.prompt.id}:${p.outcome}`),
  };
}
