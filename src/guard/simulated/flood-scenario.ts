import { createHash } from 'node:crypto';
import type { CallEvents } from '../../call/call-events.js';
import type { PseudonymousCaller } from '../../call/call-record.js';
import { CallSession, type CallSessionOptions } from '../../call/call-session.js';
import type { Flow } from '../../ivr/flow-schema.js';
import { type SimulatedFarEnd, SimulatedLine } from '../../line/simulated/simulated-line.js';
import { CallerPseudonymizer } from '../../privacy/caller-pseudonymizer.js';
import { silentLogger } from '../../shared/logger.js';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { FloodGuard } from '../flood-guard.js';
import type { GuardEvents, ScreenVerdict } from '../guard-events.js';
import { DEFAULT_GUARD_SETTINGS, type FloodGuardSettings } from '../guard-settings.js';
import { type RandomSource, seededRandom } from '../random-source.js';
import { refusedRecord } from '../refused-record.js';
import { handleScreenedCall } from '../screen-call.js';
import { BOT_STRATEGIES, BotCaller, HumanCaller } from './challenge-callers.js';
import {
  type CallStats,
  type FloodScenarioResult,
  type HumanCall,
  summarize,
} from './flood-summary.js';

export interface FloodScenarioOptions {
  flow: Flow;
  seed: number;
  botNumbers: number;
  botCalls: number;
  humans: number;
  /** How many of the humans called the clinic in the past weeks (known numbers). */
  knownHumans: number;
  settings?: FloodGuardSettings;
  /** A person gives up after this many tries (busy line, refused). */
  humanPatience?: number;
}

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Monday 2 March 2026, 08:00 in Berlin. */
const DAY_START = Date.UTC(2026, 2, 2, 7, 0);
const FLOOD_START = DAY_START + 2 * HOUR;
const ANSWER_ON_RING = 2;
/** Caller ID arrives about 3.5 s into the first ring cycle (Bellcore/ETSI FSK after ring 1). */
const CALLER_ID_MS = 3500;
const MENU_SCRIPTS = [['1', '1', '1'], ['2'], ['3'], ['0'], ['4'], ['1', '0']];

type DialResult = 'busy' | 'missed' | CallStats;

/**
 * A clinic day with a bot flood, on one simulated line and a virtual clock: the real
 * CallSession, flow runner, guard and challenge, with scripted bots and people on the far end.
 */
export async function runFloodScenario(o: FloodScenarioOptions): Promise<FloodScenarioResult> {
  const random = seededRandom(o.seed);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo));
  const clock = new VirtualClock(DAY_START);
  const line = new SimulatedLine(clock);
  await line.start();
  const pseudonymizer = new CallerPseudonymizer(
    createHash('sha256').update(`flood-sim-${o.seed}`).digest(),
  );
  const settings = o.settings ?? DEFAULT_GUARD_SETTINGS;
  const digits = settings.challenge.digits;
  const guard = new FloodGuard({ settings, clock });
  const humanNumbers = Array.from(
    { length: o.humans },
    (_, j) => `+49301000${String(j).padStart(4, '0')}`,
  );
  guard.seed(normalWeek(humanNumbers.slice(0, o.knownHumans), pseudonymizer, random));
  const alerts: { name: keyof GuardEvents; atMs: number; detail: string }[] = [];
  guard.events.on('flood-started', (e) =>
    alerts.push({
      name: 'flood-started',
      atMs: e.atMs,
      detail: `by ${e.trigger}: ${e.callsInWindow} calls in ${e.windowMs / MIN} min (threshold ${e.threshold}), pressure p=${e.pressureP.toExponential(1)}`,
    }),
  );
  guard.events.on('flood-ended', (e) =>
    alerts.push({
      name: 'flood-ended',
      atMs: e.atMs,
      detail: `${e.screened} calls screened, ${e.refused} refused, ${e.challenged} challenged`,
    }),
  );
  guard.events.on('caller-blocked', (e) =>
    alerts.push({
      name: 'caller-blocked',
      atMs: e.atMs,
      detail: `number ending ${e.block.hint} until +${Math.round((e.block.untilMs - e.atMs) / MIN)} min`,
    }),
  );

  // The desk: screen as soon as caller ID arrives, so refused callers are dropped during the
  // first ring; everyone else is answered on the usual ring.
  let screening: { caller: PseudonymousCaller; verdict: ScreenVerdict } | null = null;
  let current: Promise<CallStats> | null = null;
  let callSeq = 0;
  const take = (caller: PseudonymousCaller, verdict: ScreenVerdict) => {
    current = handleCall(caller, verdict).finally(() => {
      current = null;
      screening = null;
    });
  };
  let ringStartMs = 0;
  line.events.on('callerId', (id) => {
    if (current || screening) return;
    // The simulated line hands over caller ID with the first ring; a real one ~3.5 s later.
    void clock.sleep(CALLER_ID_MS).then(() => {
      if (current || screening || line.state() !== 'ringing') return;
      const caller = pseudonymizer.pseudonymize(id);
      screening = { caller, verdict: guard.screen(caller) };
      if (screening.verdict.action === 'refuse') take(caller, screening.verdict);
    });
  });
  line.events.on('ring', ({ count }) => {
    if (count === 1) ringStartMs = clock.now();
    if (current || count < ANSWER_ON_RING || line.state() !== 'ringing') return;
    const caller = screening?.caller ?? pseudonymizer.pseudonymize(null);
    take(caller, screening?.verdict ?? guard.screen(caller));
  });

  async function handleCall(
    caller: PseudonymousCaller,
    verdict: ScreenVerdict,
  ): Promise<CallStats> {
    const callId = `call-${++callSeq}`;
    const startedAtMs = clock.now();
    const transfersBefore = line.transfers.length;
    const events = new TypedEmitter<CallEvents>();
    let reachedMenu = false;
    let flowAtMs: number | null = null;
    events.on('prompt-played', (e) => {
      const guardOrIntro =
        e.promptId === 'disclosure' ||
        e.promptId === 'emergency-notice' ||
        e.promptId.startsWith('guard-');
      if (guardOrIntro) return;
      reachedMenu = true;
      flowAtMs ??= startedAtMs + e.atMs;
    });
    line.events.on('state', function onTransfer({ state }) {
      if (state === 'transferring') flowAtMs ??= clock.now();
      if (state === 'idle') line.events.off('state', onTransfer);
    });
    const sessionOptions: CallSessionOptions = {
      callId,
      caller,
      flow: o.flow,
      line,
      recognition: null,
      clock,
      events,
      logger: silentLogger(),
      emergencyNotice: 'If this is a medical emergency, hang up and dial 112.',
      maxCallMs: 600_000,
    };
    const screened = await handleScreenedCall(caller, verdict, {
      guard,
      line,
      clock,
      language: o.flow.language,
      challenge: { ...settings.challenge, random },
      runSession: (gate) => new CallSession({ ...sessionOptions, challenge: gate }).run(),
      refusedRecord: (route, at) => refusedRecord(callId, caller, route, at, o.flow, line.kind),
    });
    return {
      verdict: screened.verdict,
      challengePassed: screened.challenge?.passed ?? null,
      reachedMenu,
      reachedPerson:
        line.transfers.length > transfersBefore && screened.record.endReason === 'transferred',
      route: screened.record.route,
      startedAtMs,
      flowAtMs,
      lineMs: clock.now() - ringStartMs,
    };
  }

  async function dial(number: string, farEnd: SimulatedFarEnd): Promise<DialResult> {
    if (line.state() !== 'idle') return 'busy';
    const answered = await line.placeCall(farEnd, { number });
    if (answered === 'missed' || !current) return 'missed';
    return await current;
  }

  const bots: CallStats[] = [];
  let botBusy = 0;
  async function bot(i: number): Promise<void> {
    const number = `+44700900${String(i).padStart(3, '0')}`;
    const strategy = BOT_STRATEGIES[i % BOT_STRATEGIES.length]!;
    const keys = (strategy === 'fixed' ? '0' : String(between(0, 10 ** digits))).padStart(
      digits,
      '0',
    );
    const quota = Math.floor(o.botCalls / o.botNumbers) + (i < o.botCalls % o.botNumbers ? 1 : 0);
    await clock.sleep(FLOOD_START - clock.now() + between(0, 10 * MIN));
    let placed = 0;
    while (placed < quota) {
      const result = await dial(number, new BotCaller(line, clock, { strategy, random, keys }));
      if (result === 'busy' || result === 'missed') {
        botBusy++;
        await clock.sleep(between(10 * SEC, 40 * SEC));
        continue;
      }
      placed++;
      bots.push(result);
      await clock.sleep(between(15 * SEC, 120 * SEC));
    }
  }

  const humans: HumanCall[] = [];
  async function human(j: number): Promise<void> {
    const number = humanNumbers[j]!;
    const firstAt = DAY_START + between(0, 9 * HOUR);
    const menuKeys = MENU_SCRIPTS[between(0, MENU_SCRIPTS.length)]!;
    const reactMs = between(700, 3500);
    await clock.sleep(firstAt - clock.now());
    const tries: DialResult[] = [];
    for (let attempt = 0; attempt < (o.humanPatience ?? 20); attempt++) {
      const result = await dial(number, new HumanCaller(line, clock, { menuKeys, reactMs }));
      tries.push(result);
      if (typeof result === 'object' && (result.reachedMenu || result.reachedPerson)) break;
      const refused = typeof result === 'object' && result.verdict.action === 'refuse';
      await clock.sleep(refused ? between(5 * MIN, 15 * MIN) : between(1 * MIN, 5 * MIN));
    }
    humans.push({ known: j < o.knownHumans, firstAt, tries, throughAt: clock.now() });
  }

  let running = true;
  const ticker = (async () => {
    while (running) {
      await clock.sleep(MIN);
      guard.tick();
    }
  })();
  await clock.run(
    Promise.all([
      ...Array.from({ length: o.botNumbers }, (_, i) => bot(i)),
      ...Array.from({ length: o.humans }, (_, j) => human(j)),
    ]),
  );
  running = false;
  void ticker;
  return summarize({
    bots,
    botBusy,
    humanCalls: humans,
    alerts,
    blocks: guard.blocks().length,
    start: DAY_START,
  });
}

/** A normal week before the flood: about six calls an hour in opening hours. */
function normalWeek(knownNumbers: string[], p: CallerPseudonymizer, random: RandomSource) {
  const callTimes: number[] = [];
  for (let d = 1; d <= 7; d++) {
    for (let h = 0; h < 10; h++) {
      for (let c = 0; c < 6; c++)
        callTimes.push(DAY_START - d * DAY + h * HOUR + Math.floor(random() * HOUR));
    }
  }
  callTimes.sort((a, b) => a - b);
  const knownCallers = knownNumbers.map((n) => ({
    hash: p.hashNumber(n),
    lastSeenMs: DAY_START - 3 * DAY,
  }));
  return { callTimes, knownCallers, blocks: [] };
}
