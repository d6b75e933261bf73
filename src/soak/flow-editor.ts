import { SOAK_FLOW } from './soak-setup.js';
import { SoakBrowser, type WebRoundFigures, webRoundFigures } from './web-round.js';

/** A moment from which the flow new calls get is one of `names` (more than one while unsure). */
export interface FlowSegment {
  from: number;
  names: ReadonlySet<string>;
}

/** `attempts` are rounds of check-and-save; an error is a failed check or save. */
export interface FlowEditFigures extends WebRoundFigures {
  /** Saves the page acknowledged (303 to /flows?done=saved). */
  saves: number;
  /** The editor showed a flow other than the last acknowledged save (after a kill, too). */
  editsLost: number;
}

/**
 * The admin editing the menu on /flows while calls go on: every few tens of seconds a new
 * version of the soak flow (same routes, a new name and a new information text) is saved
 * through the page with its CSRF token. Before each save the editor must show the last
 * version the page acknowledged (a save must survive SIGKILL and restarts), and every call
 * answered after a save must be taken by the new version: the harness reads each record's
 * flow name from the database at the end (see `staleFlowCalls`).
 */
export class FlowEditor extends SoakBrowser<FlowEditFigures> {
  readonly figures: FlowEditFigures = { ...webRoundFigures(), saves: 0, editsLost: 0 };
  /** What new calls get, over time; the configured flow until the first save. */
  readonly segments: FlowSegment[] = [{ from: 0, names: new Set(['soak']) }];
  #possible = new Set(['soak']);
  #version = 0;

  protected async round(base: string): Promise<string | null> {
    return (await this.#checkInEffect(base)) ?? (await this.#save(base));
  }

  /** The editor must hold a version that may be in effect; it settles what is. */
  async #checkInEffect(base: string): Promise<string | null> {
    const page = await this.web.get(base, '/flows', 15_000);
    const html = await page.text();
    if (!page.ok) return `GET /flows: HTTP ${page.status}`;
    const name = /<textarea[^>]*name="flow"[^>]*>[\s\S]*?^name: (\S+)$/m.exec(html)?.[1];
    if (!name) return 'GET /flows: no flow name in the editor';
    if (!this.#possible.has(name)) {
      this.figures.editsLost++;
      this.figures.samples.push(
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
    const response = await this.web.postForm(base, '/flows', '/flows', { flow: text }, 30_000);
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
