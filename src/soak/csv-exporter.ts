import {
  type ApplianceWebDeps,
  SoakBrowser,
  type WebRoundFigures,
  webRoundFigures,
} from './web-round.js';

const CSV_HEADER = 'time,caller,route,topic,choices,duration_s,end_reason';

/** `attempts` are downloads; an error is an HTTP error, a timeout, a wrong header or rows gone. */
export interface CsvExportFigures extends WebRoundFigures {
  maxRows: number;
}

export interface CsvExporterDeps extends ApplianceWebDeps {
  /** Records the harness has seen in /api/calls: an export must hold at least this many. */
  recordsSeen: () => number;
}

/**
 * A second receptionist's browser downloading the call log as CSV again and again while calls
 * are being written: the export reads the whole table while the call desk inserts rows, which
 * is where "database is locked" or a torn read would show.
 */
export class CsvExporter extends SoakBrowser<CsvExportFigures> {
  readonly figures: CsvExportFigures = { ...webRoundFigures(), maxRows: 0 };
  readonly #recordsSeen: () => number;

  constructor(deps: CsvExporterDeps) {
    super(deps);
    this.#recordsSeen = deps.recordsSeen;
  }

  protected async round(base: string): Promise<string | null> {
    const expected = this.#recordsSeen();
    const response = await this.web.get(base, '/calls.csv', 15_000);
    const body = await response.text();
    if (!response.ok) return `HTTP ${response.status}: ${body.slice(0, 160)}`;
    const lines = body.split('\r\n').filter((l) => l !== '');
    const rows = lines.length - 1;
    if (lines[0] !== CSV_HEADER) return `unexpected header: ${lines[0]?.slice(0, 80)}`;
    this.figures.maxRows = Math.max(this.figures.maxRows, rows);
    if (rows < Math.min(expected, 10_000))
      return `${rows} rows, but ${expected} records were already listed`;
    return null;
  }
}
