/**
 * How long each kind of data is kept, in days. The purge job deletes anything older; these are
 * the defaults the config keys `privacy.retentionDays.*` fall back to (see docs/privacy.md).
 * Short by default: a clinic that needs a call log for longer says so in its config.
 */
export interface RetentionPolicy {
  /** Call records (pseudonymous). */
  calls: number;
  /** Per-call events (menu choices, routes, guard decisions), pseudonymous. */
  callEvents: number;
  /** Open callback requests not handled by staff; handled ones are deleted at once. */
  callbacks: number;
  /** Voicemail audio (encrypted) and its metadata, when voicemail is enabled. */
  voicemails: number;
  /** Flood-guard blocks are dropped this long after they expired. */
  guardBlocks: number;
  /** Who did what (erasures, exports, settings changes). */
  auditLog: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  calls: 90,
  callEvents: 30,
  callbacks: 7,
  voicemails: 14,
  guardBlocks: 7,
  auditLog: 365,
};

export const DAY_MS = 86_400_000;

/** Validates a policy from config: whole days, at least one, at most ten years. */
export function checkRetention(policy: RetentionPolicy): string[] {
  return Object.entries(policy).flatMap(([key, days]) =>
    Number.isInteger(days) && days >= 1 && days <= 3650
      ? []
      : [
          `privacy.retentionDays.${key}: ${String(days)} is not a whole number of days from 1 to 3650`,
        ],
  );
}
