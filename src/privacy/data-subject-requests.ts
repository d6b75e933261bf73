import type { Clock } from '../shared/clock.js';
import { LinekeeperError } from '../shared/errors.js';
import type { AuditLog } from '../storage/audit-log-port.js';
import type { ErasureCounts, SubjectRows } from '../storage/sqlite/sqlite-data-subject-store.js';
import { type CallerPseudonymizer, normalizeNumber } from './caller-pseudonymizer.js';
import type { NumberSealer } from './number-sealer.js';

export class DataSubjectError extends LinekeeperError {}

/** Where the rows about one caller are found and erased (SQLite on the appliance). */
export interface DataSubjectStore {
  collect(hash: string): SubjectRows;
  erase(hash: string): ErasureCounts;
}

export interface SubjectExport {
  request: { number: string; callerHash: string; generatedAt: string; by: string };
  /** Rows as stored, per table; callback numbers unsealed (they are the requester's own). */
  data: SubjectRows;
  notes: string[];
}

/**
 * Answers data-subject requests (GDPR Art. 15 access, Art. 17 erasure) for one phone number:
 * the number is hashed with the device secret exactly as calls were, every table is searched
 * by that hash, and each request is written to the audit log.
 */
export interface DataSubjectRequestsOptions {
  pseudonymizer: CallerPseudonymizer;
  sealer: NumberSealer;
  store: DataSubjectStore;
  audit: AuditLog;
  clock: Pick<Clock, 'now'>;
}

export class DataSubjectRequests {
  readonly #o: DataSubjectRequestsOptions;

  constructor(options: DataSubjectRequestsOptions) {
    this.#o = options;
  }

  /**
   * How many rows of each kind mention the number, without handing them out: what an admin
   * sees before confirming an erasure. Looking is audited too; it tells someone that a number
   * called the clinic.
   */
  count(rawNumber: string, actor: string): Record<keyof SubjectRows, number> {
    const { hash } = this.#subject(rawNumber);
    const data = this.#o.store.collect(hash);
    const counts = Object.fromEntries(
      Object.entries(data).map(([k, rows]) => [k, rows.length]),
    ) as Record<keyof SubjectRows, number>;
    this.#o.audit.append({
      at: new Date(this.#o.clock.now()),
      actor,
      action: 'privacy.lookup',
      subject: hash,
      outcome: 'done',
      detail: { ...counts },
    });
    return counts;
  }

  export(rawNumber: string, actor: string): SubjectExport {
    const { number, hash } = this.#subject(rawNumber);
    const data = this.#o.store.collect(hash);
    data.callbacks = data.callbacks.map(({ number_sealed, key_id, ...row }) => ({
      ...row,
      number: this.#o.sealer
        .open(number_sealed as Buffer, String(row.id), String(key_id))
        .toString('utf8'),
    }));
    const at = new Date(this.#o.clock.now());
    this.#o.audit.append({
      at,
      actor,
      action: 'privacy.export',
      subject: hash,
      outcome: 'done',
      detail: Object.fromEntries(Object.entries(data).map(([k, rows]) => [k, rows.length])),
    });
    return {
      request: { number, callerHash: hash, generatedAt: at.toISOString(), by: actor },
      data,
      notes: [
        'Calls are stored under a keyed hash of the number (callerHash) and its last two digits only.',
        'No audio and no transcripts are stored unless voicemail or transcripts are enabled in the configuration.',
        'Audit entries record requests about this number; they are kept for the audit retention period.',
      ],
    };
  }

  erase(rawNumber: string, actor: string): ErasureCounts {
    const { hash } = this.#subject(rawNumber);
    const at = new Date(this.#o.clock.now());
    let counts: ErasureCounts;
    try {
      counts = this.#o.store.erase(hash);
    } catch (error) {
      this.#o.audit.append({
        at,
        actor,
        action: 'privacy.erase',
        subject: hash,
        outcome: 'failed',
        detail: { error: (error as Error).message },
      });
      throw error;
    }
    this.#o.audit.append({
      at,
      actor,
      action: 'privacy.erase',
      subject: hash,
      outcome: 'done',
      detail: { ...counts },
    });
    return counts;
  }

  #subject(rawNumber: string): { number: string; hash: string } {
    const number = normalizeNumber(rawNumber);
    if (!number) {
      throw new DataSubjectError(
        'BAD_ARGUMENT',
        `"${rawNumber}" is not a phone number; give it as the clinic's phone would show it, e.g. +4930123456 or 030123456`,
      );
    }
    return { number, hash: this.#o.pseudonymizer.hashNumber(number) };
  }
}
