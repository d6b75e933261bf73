import type { ModemEmulator } from '../line/modem/emulator/modem-emulator.js';
import type { CallView } from '../web/call-view.js';
import { type CallerPlan, expectedRoutes } from './caller-scripts.js';
import type { EmulatedModemLink } from './emulated-modem-link.js';
import { sleep, waitFor } from './soak-stats.js';
import { isOnFrontDesk, type StatusMonitor } from './status-monitor.js';

export interface CallResult {
  index: number;
  plan: CallerPlan;
  expected: string[];
  ringAt: number;
  answeredAt: number | null;
  endedAt: number;
  /** Line-select was on the front desk (or the process down) while the caller rang. */
  frontDesk: boolean;
  record: CallView | null;
  /** The flood guard's challenge was played to this caller (MQTT prompt-played). */
  challenged?: boolean;
}

export interface CallDeps {
  link: EmulatedModemLink;
  monitor: StatusMonitor;
  /** Record ids already matched to earlier calls. */
  matched: Set<string>;
  /** Pid of the appliance now (null while down): a change means it was restarted mid-call. */
  pid: () => number | null;
  ringIntervalMs: number;
  /** How long a caller lets it ring before giving up (a real caller: about 30 s). */
  patienceMs: number;
}

/**
 * One call through the emulated line: rings with caller ID until the appliance answers, the
 * front desk gets it (line-select released) or the caller gives up; then plays the caller's
 * script and finds the record the web page shows for it.
 */
export async function placeCall(index: number, plan: CallerPlan, d: CallDeps): Promise<CallResult> {
  const ringAt = Date.now();
  const result: CallResult = {
    index,
    plan,
    expected: expectedRoutes(plan),
    ringAt,
    answeredAt: null,
    endedAt: ringAt,
    frontDesk: false,
    record: null,
  };
  const answered = await ringUntilAnswered(plan.number, d, result);
  // The receptionist talks with the caller: the line is busy for a while, as in the clinic.
  if (result.frontDesk) await sleep(2000 + plan.actAfterMs);
  if (!answered) {
    result.endedAt = Date.now();
    return result;
  }
  result.answeredAt = Date.now();
  await playScript(answered, plan, d);
  result.endedAt = Date.now();
  result.record = await findRecord(plan.number, ringAt, d);
  return result;
}

/** Rings until answered (the emulator, off hook) or not: `result.frontDesk` says who took it. */
export async function ringUntilAnswered(
  number: string,
  d: CallDeps,
  result: { frontDesk: boolean },
): Promise<ModemEmulator | null> {
  const giveUpAt = Date.now() + d.patienceMs;
  for (let ring = 0; Date.now() < giveUpAt; ring++) {
    // The desk phone rings in parallel while line-select is released: a person answers it.
    if (isOnFrontDesk(await d.monitor.poll())) {
      result.frontDesk = true;
      return null;
    }
    const emulator = d.link.emulator;
    // A modem left off hook (its appliance killed mid-call) rings nobody until it is reset.
    if (emulator && !emulator.offHook) {
      emulator.clearReceivedAudio();
      emulator.ring();
      if (ring === 0) {
        await sleep(250);
        const now = new Date();
        const two = (n: number) => String(n).padStart(2, '0');
        emulator.callerId({
          date: `${two(now.getMonth() + 1)}${two(now.getDate())}`,
          time: `${two(now.getHours())}${two(now.getMinutes())}`,
          number,
        });
      }
    }
    const rang = emulator !== null && !emulator.offHook;
    const next = Date.now() + d.ringIntervalMs;
    while (Date.now() < next) {
      const current = d.link.emulator;
      if (rang && current === emulator && current.offHook && d.link.responsive) return current;
      await sleep(50);
    }
  }
  // The caller gave up: the desk phone would only have rung if line-select was released.
  result.frontDesk = isOnFrontDesk(await d.monitor.poll());
  return null;
}

async function playScript(emulator: ModemEmulator, plan: CallerPlan, d: CallDeps): Promise<void> {
  const pid = d.pid();
  const onFlash = () => {
    if (plan.extensionBusy) setTimeout(() => emulator.event('b'), 400);
  };
  emulator.events.on('flash', onFlash);
  try {
    await sleep(plan.actAfterMs);
    if (callGone(emulator, pid, d)) return;
    switch (plan.script) {
      case 'key-callback':
        await emulator.pressKey('1', 100);
        break;
      case 'key-info':
        await emulator.pressKey('2', 100);
        break;
      case 'key-person':
        await emulator.pressKey('0', 100);
        break;
      case 'hangup-mid-menu':
        emulator.farEndHangup('busy');
        break;
      case 'silent':
        break;
    }
    // The appliance hangs up (or transfers) at the end of every route; a hung modem or a killed
    // appliance never does, so those end the wait too.
    await waitFor(() => callGone(emulator, pid, d), 60_000, 50);
  } finally {
    emulator.events.off('flash', onFlash);
  }
}

export function callGone(emulator: ModemEmulator, pid: number | null, d: CallDeps): boolean {
  return (
    !emulator.offHook ||
    d.link.emulator !== emulator ||
    !d.link.responsive ||
    d.pid() !== pid ||
    d.monitor.latest().status?.line.state === 'down'
  );
}

/**
 * A record that was not there right after the call may arrive later: while storage fails (a
 * full disk) the appliance keeps records in memory and saves them once it can. Asked once more
 * after all faults have been undone.
 */
export async function findLateRecord(call: CallResult, d: CallDeps): Promise<CallView | null> {
  return findRecord(call.plan.number, call.ringAt, d, 30_000);
}

/** The newest record that started after the first ring and is not another call's. */
export async function findRecord(
  number: string,
  ringAt: number,
  d: CallDeps,
  waitMs = 20_000,
): Promise<CallView | null> {
  const hint = `…${number.slice(-2)}`;
  let found: CallView | null = null;
  await waitFor(
    async () => {
      const calls = await d.monitor.calls(20);
      const fresh = (calls ?? []).filter(
        (c) => !d.matched.has(c.id) && Date.parse(c.startedAt) >= ringAt - 1000,
      );
      // Caller ID comes once, between the first two rings: a call that kept ringing through a
      // modem reset is answered without it ("unknown"). Calls come one at a time, so the only
      // fresh record is this call's.
      found =
        fresh.find((c) => c.caller === hint) ?? fresh.find((c) => c.caller === 'unknown') ?? null;
      return found !== null;
    },
    waitMs,
    250,
  );
  if (found) d.matched.add((found as CallView).id);
  return found;
}
