import type { AuditEntry, AuditLog } from '../audit-log-port.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface AuditRow {
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  outcome: AuditEntry['outcome'];
  detail_json: string;
}

export class SqliteAuditLog implements AuditLog {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  append(entry: AuditEntry): void {
    this.#db.write(`writing audit entry ${entry.action}`, (db) =>
      db
        .prepare(
          `INSERT INTO audit_log (at, actor, action, subject, outcome, detail_json)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          entry.at.getTime(),
          entry.actor,
          entry.action,
          entry.subject,
          entry.outcome,
          JSON.stringify(entry.detail),
        ),
    );
  }

  entries(query: { subject?: string; sinceMs?: number; limit: number }): AuditEntry[] {
    const rows = this.#db.read(
      'reading the audit log',
      (db) =>
        db
          .prepare(
            `SELECT * FROM audit_log WHERE (@subject IS NULL OR subject = @subject) AND at >= @since
           ORDER BY at DESC, id DESC LIMIT @limit`,
          )
          .all({
            subject: query.subject ?? null,
            since: query.sinceMs ?? 0,
            limit: Math.max(1, Math.floor(query.limit)),
          }) as AuditRow[],
    );
    return rows.map((r) => ({
      at: new Date(r.at),
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      outcome: r.outcome,
      detail: JSON.parse(r.detail_json) as Record<string, unknown>,
    }));
  }
}
