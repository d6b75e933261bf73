import { SOAK_FLOW } from './soak-setup.js';
import { WebSession } from './web-session.js';

/** A moment from which the flow new calls get is one of `names` (more than one while unsure). */
export interface FlowSegment {
  from: number;
  names: ReadonlySet<string>;
}

export interface FlowEditFigures {
  /** Saves the page acknowledged (303 to /flows?done=saved). */
  saves: number;
  /** Saves that failed with no fault going on (HTTP error, timeout, refused flow). */
  errors: number;
  /** Saves that failed while a fault was going on, by fault kind (a full disk refuses one). */
  errorsDuringFaults: Record<string, number>;
  /** Skipped or cut off while the appliance was down or restarting. */
  whileDown: number;
  /** The editor showed a flow other than the last acknowledged save (after a kill, too). */
  editsLost: number;
  maxMs: number | null;
  samples: string[];
}

export interface FlowEditorDeps {
  url: () => string | null;
  setupCode: () => string | null;
  activeFault: () => string | null;
}

/**
 * The admin editing the menu on /flows while calls go on: every few tens of seconds a new
 * version of the soak flow (same routes, a new name and a new information text) is saved
 * through the page with its CSRF token. Before each save the editor must show the last
 * version the page acknowledged (a save must survive SIGKILL and restarts), and every call
 * answered after a save must be taken by the new version: the harness reads each record's
 * flow name from the database at the end (see `staleFlowCalls`).
 */
export class FlowEditor {
  readonly #d: FlowEditorDeps;
  readonly #web: WebSession;
  readonly figures: FlowEditFigures = {
    saves: 0,
    errors: 0,
    errorsDuringFaults: {},
    whileDown: 0,
    editsLost: 0,
    maxMs: null,
    samples: [],
  };
  /** What new calls get, over time; the configured flow until the first save. */
  readonly segments: FlowSegment[] = [{ from: 0, names: new Set(['soak']) }];
  #possible = new Set(['soak']);
  #version = 0;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(deps: FlowEditorDeps) {
    this.#d = deps;
    this.#web = new WebSession(deps.setupCode);
  }

  start(everyMs: number): void {
    if (everyMs <= 0) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.editOnce().finally(() => {
        this.#running = null;
      });
    }, everyMs);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  async editOnce(): Promise<void> {
    const base = this.#d.url();
    if (!base) {
      this.figures.whileDown++;
      return;
    }
    const faultAtStart = this.#d.activeFault();
    const started = performance.now();
    let problem: string | null = null;
    try {
      problem = (await this.#checkInEffect(base)) ?? (await this.#save(base));
    } catch (error) {
      if (this.#d.url() !== base) {
        this.figures.whileDown++;
        return;
      }
      problem = `request failed: ${(error as Error).message}`;
    }
    this.figures.maxMs = Math.max(this.figures.maxMs ?? 0, Math.round(performance.now() - started));
    if (!problem) return;
    const fault = faultAtStart ?? this.#d.activeFault();
    if (fault)
      this.figures.errorsDuringFaults[fault] = (this.figures.errorsDuringFaults[fault] ?? 0) + 1;
    else this.figures.errors++;
    this.#sample(`${problem}${fault ? ` (during ${fault})` : ''}`);
  }

  /** The editor must hold a version that may be in effect; it settles what is. */
  async #checkInEffect(base: string): Promise<string | null> {
    const page = await this.#web.get(base, '/flows', 15_000);
    const html = await page.text();
    if (!page.ok) return `GET /flows: HTTP ${page.status}`;
    const name = /<textarea[^>]*name="flow"[^>]*>[\s\S]*?^name: (\S+)$/m.exec(html)?.[1];
    if (!name) return 'GET /flows: no flow name in the editor';
    if (!this.#possible.has(name)) {
      this.figures.editsLost++;
      this.#sample(
        `the editor shows "${name}", the last save acknowledged was ${[...this.#possible].join(' or ')}`,
      );
    }
    if (this.#possible.size !== 1 || !this.#possible.has(name)) this.#settle(new Set([name]));
    return null;
  }

  async #save(base: string): Promise<string | null> {
    this.#version++;
    const name = `soak-e${this.#version}`;
    const text = SOAK_FLOW.replace(/^name: soak$/m, `name: ${name}`).replace(
      'We open at eight.',
      `We open at eight. Version ${this.#version}.`,
    );
    // From the moment the form is sent either version may answer the next call.
    this.#settle(new Set([...this.#possible, name]));
    const response = await this.#web.postForm(base, '/flows', '/flows', { flow: text }, 30_000);
    const body = await response.text();
    if (response.status === 303 && response.headers.get('location') === '/flows?done=saved') {
      this.figures.saves++;
      this.#settle(new Set([name]));
      return null;
    }
    const message = /id="flow-notice"[^>]*>([^<]{0,160})/.exec(body)?.[1] ?? body.slice(0, 160);
    return `save of ${name}: HTTP ${response.status} ${message.trim()}`;
  }

  #settle(names: Set<string>): void {
    this.#possible = names;
    this.segments.push({ from: Date.now(), names });
  }

  #sample(text: string): void {
    if (this.figures.samples.length < 5) this.figures.samples.push(text);
  }

  /** The flow versions that may have taken a call answered between `from` and `to`. */
  namesBetween(from: number, to: number): Set<string> {
    const names = new Set<string>();
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      const end = this.segments[i + 1]?.from ?? Number.POSITIVE_INFINITY;
      if (segment.from <= to && end >= from) for (const n of segment.names) names.add(n);
    }
    return names;
  }
}

export interface StaleFlowCall {
  index: number;
  flow: string;
  expected: string[];
}

/**
 * Answered calls whose record names a flow version that was not in effect when they were
 * answered. `flowOf` reads a record's flow name (from the database).
 */
export function staleFlowCalls(
  calls: readonly { index: number; ringAt: number; answeredAt: number | null; recordId?: string }[],
  editor: Pick<FlowEditor, 'namesBetween'>,
  flowOf: (recordId: string) => string | undefined,
): { checked: number; stale: StaleFlowCall[] } {
  let checked = 0;
  const stale: StaleFlowCall[] = [];
  for (const call of calls) {
    if (call.answeredAt === null || !call.recordId) continue;
    const flow = flowOf(call.recordId);
    if (flow === undefined) continue;
    checked++;
    // The flow is taken when the session starts: between ringing and the harness seeing answer.
    const expected = editor.namesBetween(call.ringAt, call.answeredAt + 1000);
    if (!expected.has(flow)) stale.push({ index: call.index, flow, expected: [...expected] });
  }
  return { checked, stale };
}
