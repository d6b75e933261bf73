import type { CallView } from '../web/call-view.js';
import { type CallDeps, callGone, findRecord, ringUntilAnswered } from './place-call.js';
import type { SeededRandom } from './seeded-random.js';
import { sleep, waitFor } from './soak-stats.js';

/**
 * What a robocaller does once answered: hangs up on hearing a machine, hammers keys, or stays
 * silent until dropped. None of them can hear the challenge's digits.
 */
export type BotBehaviour = 'hangup' | 'keys' | 'silent';

/**
 * hung-up: hung up during the disclosure, before the guard's challenge or the flow began;
 * admitted: let into the flow without a challenge (before the guard saw a flood);
 * challenge-failed: challenged and failed (or hung up on it); refused: dropped at once
 * (blocked after failures, or over the per-caller limit); passed-challenge: a defect, must be 0;
 * not-answered: rang out or went to the front desk.
 */
export type BotOutcome =
  | 'hung-up'
  | 'admitted'
  | 'challenge-failed'
  | 'refused'
  | 'passed-challenge'
  | 'not-answered';

export interface BotCall {
  index: number;
  behaviour: BotBehaviour;
  outcome: BotOutcome;
  route: string | null;
  ringAt: number;
}

const CHALLENGE = 'guard-challenge';

/** Classifies a bot call from its record and the stages /api/status showed for it. */
export function botOutcome(record: CallView | null, prompts: ReadonlySet<string>): BotOutcome {
  if (!record) return 'not-answered';
  const challenged = [...prompts].some((p) => p.startsWith(CHALLENGE));
  if (prompts.has(`${CHALLENGE}:passed`)) return 'passed-challenge';
  if (record.route === 'refused:challenge') return 'challenge-failed';
  if (record.route.startsWith('refused:')) return 'refused';
  if (challenged) return record.route === 'abandoned' ? 'challenge-failed' : 'passed-challenge';
  return record.route === 'abandoned' ? 'hung-up' : 'admitted';
}

export interface BotBurstDeps extends CallDeps {
  random: SeededRandom;
}

/**
 * A burst of robocalls from a handful of numbers, back to back, as a dialler hitting the
 * clinic's number would: enough that the flood guard must notice, then some more, so bots
 * meet the challenge and numbers that failed it get blocked.
 */
export class BotDialler {
  readonly #d: BotBurstDeps;
  readonly #numbers: string[];
  #placed = 0;

  constructor(deps: BotBurstDeps, burst: number) {
    this.#d = deps;
    // Distinct from patients' numbers (030...): a dialler's block of three numbers, each
    // redialling more often than the per-caller limit (8 in 15 min in the soak config) allows.
    this.#numbers = Array.from(
      { length: 3 },
      (_, k) => `0900${String(burst).padStart(2, '0')}${String(deps.random.int(100, 999))}${k}7`,
    );
  }

  async call(): Promise<BotCall> {
    const d = this.#d;
    const index = this.#placed++;
    const behaviour = d.random.weighted<BotBehaviour>({ hangup: 4, keys: 4, silent: 3 });
    const number = d.random.pick(this.#numbers);
    const ringAt = Date.now();
    const rang = { frontDesk: false };
    const emulator = await ringUntilAnswered(number, d, rang);
    if (!emulator) {
      if (rang.frontDesk) await sleep(1000);
      return { index, behaviour, outcome: 'not-answered', route: null, ringAt };
    }
    const pid = d.pid();
    const gone = () => callGone(emulator, pid, d);
    switch (behaviour) {
      case 'hangup':
        await sleep(d.random.int(300, 900));
        if (!gone()) emulator.farEndHangup('busy');
        break;
      case 'keys': {
        const until = Date.now() + 12_000;
        while (!gone() && Date.now() < until) {
          await emulator.pressKey(d.random.pick([...'0123456789']) as '0', 80);
          await sleep(d.random.int(150, 500));
        }
        if (!gone()) emulator.farEndHangup('busy');
        break;
      }
      case 'silent':
        await waitFor(gone, 45_000, 50);
        if (!gone()) emulator.farEndHangup('busy');
        break;
    }
    await waitFor(gone, 10_000, 50);
    const record = await findRecord(number, ringAt, d, 10_000);
    const outcome = botOutcome(record, record ? d.monitor.stagesOf(record.id) : new Set());
    return { index, behaviour, outcome, route: record?.route ?? null, ringAt };
  }
}
