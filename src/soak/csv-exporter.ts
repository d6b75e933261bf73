import { WebSession } from './web-session.js';

const CSV_HEADER = 'time,caller,route,topic,choices,duration_s,end_reason';

export interface CsvExportFigures {
  exports: number;
  /** Failed with no fault going on: HTTP error, timeout, wrong header, rows gone missing. */
  errors: number;
  /** Failed while a fault was going on, by fault kind (e.g. the audit row on a full disk). */
  errorsDuringFaults: Record<string, number>;
  /** Skipped or failed while the appliance was down or restarting (not held against it). */
  whileDown: number;
  maxRows: number;
  maxMs: number | null;
  errorSamples: string[];
}

export interface CsvExporterDeps {
  /** The web page's base URL while the appliance is up and ready; null otherwise. */
  url: () => string | null;
  setupCode: () => string | null;
  /** Records the harness has seen in /api/calls: an export must hold at least this many. */
  recordsSeen: () => number;
  /** The fault going on now, if any. */
  activeFault: () => string | null;
}

/**
 * A second receptionist's browser downloading the call log as CSV again and again while calls
 * are being written: the export reads the whole table while the call desk inserts rows, which
 * is where "database is locked" or a torn read would show.
 */
export class CsvExporter {
  readonly #d: CsvExporterDeps;
  readonly #web: WebSession;
  readonly figures: CsvExportFigures = {
    exports: 0,
    errors: 0,
    errorsDuringFaults: {},
    whileDown: 0,
    maxRows: 0,
    maxMs: null,
    errorSamples: [],
  };
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(deps: CsvExporterDeps) {
    this.#d = deps;
    this.#web = new WebSession(deps.setupCode);
  }

  start(everyMs: number): void {
    this.#timer = setInterval(() => {
      this.#running ??= this.exportOnce().finally(() => {
        this.#running = null;
      });
    }, everyMs);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  async exportOnce(): Promise<void> {
    const f = this.figures;
    const base = this.#d.url();
    if (!base) {
      f.whileDown++;
      return;
    }
    const expected = this.#d.recordsSeen();
    const faultAtStart = this.#d.activeFault();
    const started = performance.now();
    let problem: string | null = null;
    try {
      const response = await this.#web.get(base, '/calls.csv', 15_000);
      const body = await response.text();
      if (!response.ok) problem = `HTTP ${response.status}: ${body.slice(0, 160)}`;
      else {
        const lines = body.split('\r\n').filter((l) => l !== '');
        const rows = lines.length - 1;
        if (lines[0] !== CSV_HEADER) problem = `unexpected header: ${lines[0]?.slice(0, 80)}`;
        else if (rows < Math.min(expected, 10_000))
          problem = `${rows} rows, but ${expected} records were already listed`;
        f.maxRows = Math.max(f.maxRows, rows);
      }
    } catch (error) {
      // The process was killed or is restarting: that is the supervisor's business, not the export's.
      if (this.#d.url() !== base) {
        f.whileDown++;
        return;
      }
      problem = `request failed: ${(error as Error).message}`;
    }
    const ms = performance.now() - started;
    f.exports++;
    f.maxMs = Math.max(f.maxMs ?? 0, Math.round(ms));
    if (!problem) return;
    const fault = faultAtStart ?? this.#d.activeFault();
    if (fault) f.errorsDuringFaults[fault] = (f.errorsDuringFaults[fault] ?? 0) + 1;
    else f.errors++;
    if (f.errorSamples.length < 5)
      f.errorSamples.push(`${problem}${fault ? ` (during ${fault})` : ''}`);
  }
}
