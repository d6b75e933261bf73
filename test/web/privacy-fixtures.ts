import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CallerPseudonymizer } from '../../src/privacy/caller-pseudonymizer.js';
import { DataSubjectRequests } from '../../src/privacy/data-subject-requests.js';
import { NumberSealer } from '../../src/privacy/number-sealer.js';
import { DEFAULT_RETENTION } from '../../src/privacy/retention-policy.js';
import type { ApplianceStatus } from '../../src/status/status-sink-port.js';
import { SqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import { SqliteCallEventStore } from '../../src/storage/sqlite/sqlite-call-event-store.js';
import type { SqliteCallStore } from '../../src/storage/sqlite/sqlite-call-store.js';
import type { SqliteCallbackStore } from '../../src/storage/sqlite/sqlite-callback-store.js';
import { SqliteDataSubjectStore } from '../../src/storage/sqlite/sqlite-data-subject-store.js';
import type { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import { SqliteGuardStore } from '../../src/storage/sqlite/sqlite-guard-store.js';
import { SqliteVoicemailStore } from '../../src/storage/sqlite/sqlite-voicemail-store.js';
import type { HasTeardown } from '../helpers/spawn-appliance.js';
import { addUser, callRecord, logIn, makeWeb, STATUS } from './web-fixtures.js';

export const PATIENT = '+49 30 555 0123';
export const PATIENT_DIGITS = '49305550123';
export const OTHER = '+49 30 555 0999';

export interface PrivacyWeb {
  app: FastifyInstance;
  db: SqliteDatabase;
  file: string;
  voicemailDir: string;
  pseudonymizer: CallerPseudonymizer;
  audit: SqliteAuditLog;
  /** The id of the patient's stored call. */
  patientCallId: string;
  /** Numbers the page asked the running appliance to forget. */
  forgotten: string[];
  /** Status the pages see; tests set `guard` to show the flood banner. */
  status: ApplianceStatus;
  admin: { cookie: string; csrf: string };
  staff: { cookie: string; csrf: string };
}

/**
 * The web app with the /privacy page over a real SQLite file, wired as the appliance wires it
 * (same DataSubjectRequests as the CLI), with one patient's call, call event, callback request,
 * voicemail and flood-guard block stored under their keyed hash, and another caller's call.
 */
export async function makePrivacyWeb(t: HasTeardown): Promise<PrivacyWeb> {
  const secret = Buffer.alloc(32, 5);
  const pseudonymizer = new CallerPseudonymizer(secret);
  const status: ApplianceStatus = { ...STATUS };
  const forgotten: string[] = [];
  const web = await makeWeb(t, {
    secret,
    status: () => status,
    privacy: (db) => ({
      requests: new DataSubjectRequests({
        pseudonymizer,
        sealer: new NumberSealer(secret),
        store: new SqliteDataSubjectStore(db),
        audit: new SqliteAuditLog(db),
        clock: { now: () => Date.now() },
      }),
      retention: { ...DEFAULT_RETENTION, calls: 60 },
      voicemail: true,
      onErased: (number) => forgotten.push(number),
    }),
  });
  const voicemailDir = join(dirname(web.file), 'voicemail');
  const patientCallId = await seedPatient(
    web.store,
    web.db,
    web.callbacks,
    pseudonymizer,
    secret,
    voicemailDir,
  );
  await addUser(web, 'staff-test', 'staff');
  const admin = await logIn(web.app, 'admin-test');
  const staff = await logIn(web.app, 'staff-test');
  return {
    app: web.app,
    db: web.db,
    file: web.file,
    voicemailDir,
    pseudonymizer,
    audit: new SqliteAuditLog(web.db),
    patientCallId,
    forgotten,
    status,
    admin,
    staff,
  };
}

async function seedPatient(
  store: SqliteCallStore,
  db: SqliteDatabase,
  callbacks: SqliteCallbackStore,
  pseudonymizer: CallerPseudonymizer,
  secret: Buffer,
  voicemailDir: string,
): Promise<string> {
  const hash = pseudonymizer.hashNumber(PATIENT);
  const call = callRecord({ callerHash: hash, callerHint: '23', route: 'callback' });
  await store.saveCall(call);
  await store.saveCall(
    callRecord({ callerHash: pseudonymizer.hashNumber(OTHER), callerHint: '99' }),
  );
  new SqliteCallEventStore(db).append({
    callId: call.id,
    atMs: Date.now(),
    kind: 'screened',
    callerHash: hash,
    detail: { action: 'admit', reason: 'known' },
  });
  callbacks.add({
    callId: call.id,
    number: '+49305550123',
    callerHash: hash,
    callerHint: '23',
    topic: 'appointments',
    window: 'morning',
    language: 'en',
    createdAtMs: Date.now(),
    retentionMs: 86_400_000,
  });
  await new SqliteVoicemailStore({
    db,
    sealer: new NumberSealer(secret, 'linekeeper voicemail v1'),
    dir: voicemailDir,
    retentionMs: 86_400_000,
  }).save({
    callId: call.id,
    caller: { hash, hint: '23', withheld: null },
    samples: new Int16Array(800),
    createdAtMs: Date.now(),
  });
  new SqliteGuardStore(db).saveBlock({
    hash,
    hint: '23',
    untilMs: Date.now() + 3_600_000,
    level: 1,
    reason: 'challenge-failures',
  });
  return call.id;
}
