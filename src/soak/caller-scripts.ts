import type { SeededRandom } from './seeded-random.js';

/**
 * What one caller does, and the routes the soak flow (soak-flow.ts) must give them. Callers
 * press keys while prompts play (barge-in), stay silent, ask for a person, or hang up mid-menu.
 */
export type CallerScript =
  | 'key-callback'
  | 'key-info'
  | 'key-person'
  | 'silent'
  | 'hangup-mid-menu';

export interface CallerPlan {
  script: CallerScript;
  number: string;
  /** A caller who already called in this run. */
  repeat: boolean;
  /** ms after answer before the key press or the hang-up (inside the prompts). */
  actAfterMs: number;
  /** For transfers: the extension is busy, so the caller comes back to the menu's failure path. */
  extensionBusy: boolean;
}

const SCRIPT_WEIGHTS: Record<CallerScript, number> = {
  'key-callback': 4,
  'key-info': 3,
  'key-person': 2,
  silent: 2,
  'hangup-mid-menu': 2,
};

/** The routes the flow gives each script; a busy extension sends the caller to goodbye. */
export function expectedRoutes(plan: CallerPlan): string[] {
  switch (plan.script) {
    case 'key-callback':
      return ['callback'];
    case 'key-info':
      return ['info'];
    case 'key-person':
    case 'silent':
      return [plan.extensionBusy ? 'hangup' : 'transfer:reception'];
    case 'hangup-mid-menu':
      return ['abandoned'];
  }
}

/**
 * Callers the clinic put on the flood guard's allow-list (a care home, the pharmacy, a patient
 * on home dialysis): soak-setup.ts writes them into the config.
 */
export const REGULAR_NUMBERS: readonly string[] = [
  '0301111000191',
  '0301111000292',
  '0301111000393',
];

/**
 * Plans callers: a pool of patients, about half of the calls from someone who called before
 * (a clinic's callers are mostly its patients).
 */
export class CallerPlanner {
  readonly #random: SeededRandom;
  readonly #called: string[] = [];
  #next = 0;

  constructor(random: SeededRandom) {
    this.#random = random;
  }

  plan(): CallerPlan {
    const r = this.#random;
    const repeat = this.#called.length > 0 && r.chance(0.5);
    const number = repeat ? r.pick(this.#called) : this.#newNumber();
    if (!repeat) this.#called.push(number);
    return this.#withScript(number, repeat);
  }

  /** A regular (on the guard's allow-list) calls; they get through during a flood too. */
  planRegular(): CallerPlan {
    return this.#withScript(this.#random.pick(REGULAR_NUMBERS), true);
  }

  /** The flood guard trusts this caller whatever happens (allow-list). */
  isRegular(number: string): boolean {
    return REGULAR_NUMBERS.includes(number);
  }

  #withScript(number: string, repeat: boolean): CallerPlan {
    const r = this.#random;
    return {
      script: r.weighted(SCRIPT_WEIGHTS),
      number,
      repeat,
      actAfterMs: r.int(300, 3500),
      extensionBusy: r.chance(0.5),
    };
  }

  #newNumber(): string {
    this.#next++;
    // Distinct last two digits for 100 callers in a row, so records can be told apart by hint.
    const tail = String(this.#next % 100).padStart(2, '0');
    return `030${String(1000 + this.#random.int(0, 8999))}${String(this.#next).padStart(3, '0')}${tail}`;
  }
}
