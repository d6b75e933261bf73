import type { CallRecord } from '../../call/call-record.js';
import type { CallLog, CallLogFilter } from '../call-log-port.js';
import { type CallRow, fromRow } from './sqlite-call-store.js';
import type { SqliteDatabase } from './sqlite-database.js';

const WHERE = `WHERE (@route IS NULL OR substr(route, 1, length(@route)) = @route)
                 AND (@from IS NULL OR started_at >= @from)
                 AND (@to IS NULL OR started_at < @to)`;

/**
 * Read-only queries for the call log page. A prefix match by substr, not LIKE, so `%` and `_`
 * typed into the filter are plain characters.
 */
export class SqliteCallLog implements CallLog {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  search(filter: CallLogFilter, page: { limit: number; offset: number }): CallRecord[] {
    const rows = this.#db.read(
      'searching the call log',
      (db) =>
        db
          .prepare(
            `SELECT * FROM calls ${WHERE} ORDER BY started_at DESC, id DESC LIMIT @limit OFFSET @offset`,
          )
          .all({
            ...params(filter),
            limit: Math.max(1, Math.floor(page.limit)),
            offset: Math.max(0, Math.floor(page.offset)),
          }) as CallRow[],
    );
    return rows.map(fromRow);
  }

  count(filter: CallLogFilter): number {
    return this.#db.read(
      'counting the call log',
      (db) =>
        (
          db.prepare(`SELECT count(*) AS n FROM calls ${WHERE}`).get(params(filter)) as {
            n: number;
          }
        ).n,
    );
  }

  callsPerLocalHour(fromMs: number, toMs: number): number[] {
    // Bucketed here, not by SQLite's 'localtime': the page formats every time with the same
    // JavaScript clock, so a call at 09:59:59 is in the 09 bar wherever it is shown.
    const rows = this.#db.read(
      'counting calls per hour',
      (db) =>
        db
          .prepare('SELECT started_at FROM calls WHERE started_at >= ? AND started_at < ?')
          .all(fromMs, toMs) as { started_at: number }[],
    );
    const counts = new Array<number>(24).fill(0);
    for (const row of rows) counts[new Date(row.started_at).getHours()]! += 1;
    return counts;
  }

  routes(): string[] {
    return this.#db.read('listing call routes', (db) =>
      (
        db.prepare('SELECT DISTINCT route FROM calls ORDER BY route').all() as { route: string }[]
      ).map((r) => r.route),
    );
  }
}

function params(filter: CallLogFilter) {
  return {
    route: filter.route || null,
    from: filter.fromMs ?? null,
    to: filter.toMs ?? null,
  };
}
