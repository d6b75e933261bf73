export interface AuditEntry {
  at: Date;
  /** Who: `cli:<unix user>`, `web:<user>`, `mqtt`, `system`. */
  actor: string;
  /** What, e.g. `privacy.export`, `privacy.erase`, `settings.set`, `callback.handled`. */
  action: string;
  /** About whom or what: a caller hash, a setting key; never a raw number. */
  subject: string | null;
  outcome: 'done' | 'refused' | 'failed';
  detail: Record<string, unknown>;
}

/** Append-only record of privacy-relevant actions; kept for the audit retention period. */
export interface AuditLog {
  append(entry: AuditEntry): void;
  entries(query: { subject?: string; sinceMs?: number; limit: number }): AuditEntry[];
}
