import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CallerPseudonymizer } from '../../src/privacy/caller-pseudonymizer.js';
import { DataSubjectRequests } from '../../src/privacy/data-subject-requests.js';
import { NumberSealer } from '../../src/privacy/number-sealer.js';
import { DEFAULT_RETENTION } from '../../src/privacy/retention-policy.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { ApplianceStatus } from '../../src/status/status-sink-port.js';
import { SqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import { SqliteCallEventStore } from '../../src/storage/sqlite/sqlite-call-event-store.js';
import { SqliteCallStore } from '../../src/storage/sqlite/sqlite-call-store.js';
import { SqliteCallbackStore } from '../../src/storage/sqlite/sqlite-callback-store.js';
import { SqliteDataSubjectStore } from '../../src/storage/sqlite/sqlite-data-subject-store.js';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import { SqliteGuardStore } from '../../src/storage/sqlite/sqlite-guard-store.js';
import { SqliteUserStore } from '../../src/storage/sqlite/sqlite-user-store.js';
import { SqliteVoicemailStore } from '../../src/storage/sqlite/sqlite-voicemail-store.js';
import { hashSecret } from '../../src/web/auth/password-hash.js';
import { LiveUpdates } from '../../src/web/live-updates.js';
import { buildWebApp } from '../../src/web/web-app.js';
import type { HasTeardown } from '../helpers/spawn-appliance.js';
import { ALLOWED_HOSTS, callRecord, logIn, PASSWORD, POLL_MS, STATUS } from './web-fixtures.js';

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
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-privacy-web-'));
  const file = join(dir, 'linekeeper.db');
  const voicemailDir = join(dir, 'voicemail');
  const store = new SqliteCallStore(file);
  await store.start();
  const db = new SqliteDatabase(file);
  await db.start();
  const secret = Buffer.alloc(32, 5);
  const pseudonymizer = new CallerPseudonymizer(secret);
  const audit = new SqliteAuditLog(db);
  const callbacks = new SqliteCallbackStore(db, new NumberSealer(secret));
  const status: ApplianceStatus = { ...STATUS };
  const forgotten: string[] = [];
  const live = new LiveUpdates({
    logger: silentLogger(),
    changeToken: () => store.changeToken(),
    pollMs: POLL_MS,
  });
  const app = buildWebApp({
    store,
    status: () => status,
    live,
    logger: silentLogger(),
    allowedHosts: ALLOWED_HOSTS,
    admin: {
      db,
      callbacks,
      totpSealer: new NumberSealer(secret, 'linekeeper web totp v1'),
      announceSetupCode: () => {},
    },
    privacy: {
      requests: new DataSubjectRequests({
        pseudonymizer,
        sealer: new NumberSealer(secret),
        store: new SqliteDataSubjectStore(db),
        audit,
        clock: { now: () => Date.now() },
      }),
      retention: { ...DEFAULT_RETENTION, calls: 60 },
      voicemail: true,
      onErased: (number) => forgotten.push(number),
    },
  });
  t.teardown(async () => {
    live.stop();
    await app.close();
    await db.stop();
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  await app.ready();

  const patientCallId = await seedPatient(
    store,
    db,
    callbacks,
    pseudonymizer,
    secret,
    voicemailDir,
  );
  const users = new SqliteUserStore(db);
  for (const [username, role] of [
    ['admin-test', 'admin'],
    ['staff-test', 'staff'],
  ] as const) {
    users.create({ username, role, passwordHash: await hashSecret(PASSWORD), nowMs: Date.now() });
  }
  const admin = await logIn(app, 'admin-test');
  const staff = await logIn(app, 'staff-test');
  return {
    app,
    db,
    file,
    voicemailDir,
    pseudonymizer,
    audit,
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
