import { RepeatingTask } from './repeating-task.js';
import { WebSession } from './web-session.js';

/** What a browser in the soak needs of the appliance under test. */
export interface ApplianceWebDeps {
  /** The web page's base URL while the appliance is up and ready; null otherwise. */
  url: () => string | null;
  setupCode: () => string | null;
  /** The fault going on now, if any. */
  activeFault: () => string | null;
}

export interface WebRoundFigures {
  /** Rounds that reached the appliance (answered or failed). */
  attempts: number;
  /** Failed with no fault going on. */
  errors: number;
  /** Failed while a fault was going on, by fault kind (e.g. a save on a full disk). */
  errorsDuringFaults: Record<string, number>;
  /** Skipped or cut off while the appliance was down or restarting (not held against it). */
  whileDown: number;
  /** The slowest round, ms. */
  maxMs: number | null;
  /** The first few problems, for the report. */
  samples: string[];
}

export function webRoundFigures(): WebRoundFigures {
  return { attempts: 0, errors: 0, errorsDuringFaults: {}, whileDown: 0, maxMs: null, samples: [] };
}

/**
 * One round of a soak browser against the appliance: skipped while it is down, timed, and a
 * problem (the string `round` returns, or a failed request) counted as an error, or apart when
 * a fault was going on. A request cut off by a restart is the supervisor's business.
 */
export async function webRound(
  deps: ApplianceWebDeps,
  f: WebRoundFigures,
  round: (base: string) => Promise<string | null>,
): Promise<void> {
  const base = deps.url();
  if (!base) {
    f.whileDown++;
    return;
  }
  const faultAtStart = deps.activeFault();
  const started = performance.now();
  let problem: string | null;
  try {
    problem = await round(base);
  } catch (error) {
    if (deps.url() !== base) {
      f.whileDown++;
      return;
    }
    problem = `request failed: ${(error as Error).message}`;
  }
  f.attempts++;
  f.maxMs = Math.max(f.maxMs ?? 0, Math.round(performance.now() - started));
  if (problem) noteProblem(f, problem, faultAtStart ?? deps.activeFault());
}

export function noteProblem(f: WebRoundFigures, problem: string, fault: string | null): void {
  if (fault) f.errorsDuringFaults[fault] = (f.errorsDuringFaults[fault] ?? 0) + 1;
  else f.errors++;
  if (f.samples.length < 5) f.samples.push(`${problem}${fault ? ` (during ${fault})` : ''}`);
}

/**
 * A browser of the soak with its own login, doing one round every so often (never two at once)
 * and keeping its figures: what a round does is the subclass's `round`.
 */
export abstract class SoakBrowser<F extends WebRoundFigures> {
  protected readonly deps: ApplianceWebDeps;
  protected readonly web: WebSession;
  abstract readonly figures: F;
  readonly #rounds = new RepeatingTask(() => this.roundOnce());

  constructor(deps: ApplianceWebDeps) {
    this.deps = deps;
    this.web = new WebSession(deps.setupCode);
  }

  start(everyMs: number): void {
    this.#rounds.start(everyMs);
  }

  stop(): Promise<void> {
    return this.#rounds.stop();
  }

  roundOnce(): Promise<void> {
    return webRound(this.deps, this.figures, (base) => this.round(base));
  }

  /** One round against the appliance at `base`: a problem to count, or null. */
  protected abstract round(base: string): Promise<string | null>;
}
