import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import t from 'tap';
import { NumberSealer } from '../../src/privacy/number-sealer.js';
import { DEFAULT_RETENTION } from '../../src/privacy/retention-policy.js';
import { silentLogger } from '../../src/shared/logger.js';
import { VirtualClock } from '../../src/shared/virtual-clock.js';
import { PurgeJob } from '../../src/storage/purge-job.js';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
import { SqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import { SqliteCallStore } from '../../src/storage/sqlite/sqlite-call-store.js';
import { SqliteCallbackStore } from '../../src/storage/sqlite/sqlite-callback-store.js';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import { SqliteGuardStore } from '../../src/storage/sqlite/sqlite-guard-store.js';
import { SqliteSettingsStore } from '../../src/storage/sqlite/sqlite-settings-store.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 2, 9);

function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'lk-privacy-')), 'linekeeper.db');
}

function rawBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
}

const callback = (number: string, createdAtMs: number, hash = 'h'.repeat(32)) => ({
  callId: `call-${createdAtMs}`,
  number,
  callerHash: hash,
  callerHint: number.slice(-2),
  topic: 'appointments',
  window: 'morning',
  language: 'en',
  createdAtMs,
  retentionMs: 7 * DAY,
});

t.test('a callback number is encrypted at rest and deleted once handled', async (t) => {
  const file = tempDb();
  const db = new SqliteDatabase(file);
  await db.start();
  const sealer = new NumberSealer(randomBytes(32));
  const callbacks = new SqliteCallbackStore(db, sealer);
  const request = callbacks.add(callback('+4930987654', NOW));
  t.notOk(rawBytes(file).includes(Buffer.from('4930987654')), 'no clear number in db or WAL');
  const open = callbacks.open(NOW + DAY);
  t.equal(open.length, 1);
  t.equal(open[0]!.number, '+4930987654');
  t.equal(open[0]!.window, 'morning');
  t.same(callbacks.open(NOW + 8 * DAY), [], 'an expired request is not offered');
  t.equal(callbacks.markHandled(request.id, 'web:anna', NOW + DAY), true);
  t.same(callbacks.open(NOW + DAY), []);
  t.equal(callbacks.markHandled(request.id, 'web:anna', NOW + DAY), false);
  const audit = new SqliteAuditLog(db).entries({ limit: 10 });
  t.match(audit, [{ actor: 'web:anna', action: 'callback.handled', subject: 'h'.repeat(32) }]);
  await db.stop();
});

t.test('the purge job deletes each kind of data after its retention period', async (t) => {
  const file = tempDb();
  const calls = new SqliteCallStore(file);
  await calls.start();
  const record = (id: string, at: number) => ({
    id,
    startedAt: new Date(at),
    endedAt: new Date(at + 1000),
    durationMs: 1000,
    callerHash: 'c'.repeat(32),
    callerHint: '12',
    callerWithheld: null,
    route: 'info',
    topic: null,
    callbackWindow: null,
    language: 'en',
    choices: [],
    endReason: 'appliance-hangup' as const,
    flowName: 'x',
    lineKind: 'simulated',
  });
  await calls.saveCall(record('old', NOW - 91 * DAY));
  await calls.saveCall(record('new', NOW - 89 * DAY));
  await calls.stop();
  const db = new SqliteDatabase(file);
  await db.start();
  const cb = new SqliteCallbackStore(db, new NumberSealer(randomBytes(32)));
  cb.add(callback('+4930111111', NOW - 8 * DAY));
  cb.add(callback('+4930222222', NOW - DAY));
  const audio = join(mkdtempSync(join(tmpdir(), 'lk-vm-')), 'vm.sealed');
  writeFileSync(audio, 'sealed audio');
  const h = db.handle();
  h.prepare(
    `INSERT INTO voicemails (id, call_id, created_at, expires_at, caller_hash, caller_hint, audio_file, key_id, duration_ms)
     VALUES ('vm1', 'c', ?, ?, 'x', '11', ?, 'k', 1000)`,
  ).run(NOW - 15 * DAY, NOW - DAY, audio);
  h.prepare(
    "INSERT INTO audit_log (at, actor, action, subject, outcome, detail_json) VALUES (?, 'system', 'x', NULL, 'done', '{}')",
  ).run(NOW - 366 * DAY);
  h.prepare(
    "INSERT INTO call_events (call_id, at, kind, caller_hash, detail_json) VALUES ('old', ?, 'routed', NULL, '{}')",
  ).run(NOW - 31 * DAY);
  const job = new PurgeJob({
    db,
    policy: DEFAULT_RETENTION,
    clock: new VirtualClock(NOW),
    logger: silentLogger(),
  });
  t.same(job.runOnce(NOW), {
    calls: 1,
    callEvents: 1,
    callbacks: 1,
    voicemails: 1,
    guardBlocks: 0,
    auditLog: 1,
  });
  t.notOk(existsSync(audio), 'the voicemail audio file is deleted with its row');
  t.same(
    (h.prepare('SELECT id FROM calls').all() as { id: string }[]).map((r) => r.id),
    ['new'],
  );
  t.same(job.runOnce(NOW), {
    calls: 0,
    callEvents: 0,
    callbacks: 0,
    voicemails: 0,
    guardBlocks: 0,
    auditLog: 0,
  });
  await db.stop();
});

t.test('the purge job runs at start and then on its interval', async (t) => {
  const db = new SqliteDatabase(tempDb());
  await db.start();
  const clock = new VirtualClock(NOW);
  const cb = new SqliteCallbackStore(db, new NumberSealer(randomBytes(32)));
  cb.add(callback('+4930333333', NOW - DAY));
  const job = new PurgeJob({
    db,
    policy: DEFAULT_RETENTION,
    clock,
    logger: silentLogger(),
    intervalMs: 3_600_000,
  });
  job.start();
  await clock.run(clock.sleep(6 * DAY + 1_000));
  t.equal(cb.open(clock.now()).length, 0, 'expired after 7 days of hourly runs');
  t.equal((db.handle().prepare('SELECT count(*) AS n FROM callbacks').get() as { n: number }).n, 0);
  await job.stop();
  await db.stop();
});

t.test('settings changes are audited; the audit log cannot be rewritten', async (t) => {
  const db = new SqliteDatabase(tempDb());
  await db.start();
  const settings = new SqliteSettingsStore(db);
  settings.set('call.disclosure.enabled', false, 'web:admin', NOW);
  t.equal(settings.get('call.disclosure.enabled'), false);
  const [entry] = new SqliteAuditLog(db).entries({ subject: 'call.disclosure.enabled', limit: 5 });
  t.match(entry, { actor: 'web:admin', action: 'settings.set', detail: { from: null, to: false } });
  t.throws(
    () => db.handle().prepare("UPDATE audit_log SET actor = 'someone else'").run(),
    /append-only/,
  );
  await db.stop();
});

t.test('a database from the released schema (version 2) is upgraded in place', async (t) => {
  const file = tempDb();
  const old = new BetterSqlite3(file);
  old.exec(MIGRATIONS[0]!);
  old.exec(MIGRATIONS[1]!);
  old.pragma('user_version = 2');
  old
    .prepare(
      `INSERT INTO calls (id, started_at, ended_at, duration_ms, caller_hash, caller_hint, caller_withheld, route, topic, choices_json, end_reason, flow_name, line_kind)
     VALUES ('kept', 1, 2, 1, 'k', '12', NULL, 'info', NULL, '[]', 'appliance-hangup', 'x', 'simulated')`,
    )
    .run();
  old.close();
  const db = new SqliteDatabase(file);
  await db.start();
  t.equal(db.handle().pragma('user_version', { simple: true }), MIGRATIONS.length);
  t.equal((db.handle().prepare('SELECT id FROM calls').get() as { id: string }).id, 'kept');
  const guard = new SqliteGuardStore(db);
  guard.saveBlock({
    hash: 'b',
    hint: '99',
    untilMs: NOW + 1000,
    level: 1,
    reason: 'challenge-failures',
  });
  const history = guard.loadHistory(NOW, 90 * DAY);
  t.same(
    history.blocks.map((b) => b.hash),
    ['b'],
  );
  t.same(guard.loadHistory(NOW + 2000, 90 * DAY).blocks, [], 'expired blocks are not restored');
  await db.stop();
});

t.test('a full disk gives a clear, specific error', async (t) => {
  // SQLite's page limit gives the same SQLITE_FULL as a full file system (portable everywhere).
  const db = new SqliteDatabase(tempDb());
  await db.start();
  const pages = db.handle().pragma('page_count', { simple: true }) as number;
  db.handle().pragma(`max_page_count = ${pages + 2}`);
  const cb = new SqliteCallbackStore(db, new NumberSealer(randomBytes(32)));
  t.throws(
    () => {
      for (let i = 0; i < 10_000; i++) cb.add(callback(`+49301${String(i).padStart(6, '0')}`, NOW));
    },
    {
      code: 'STORAGE_FULL',
      message:
        /saving callback request for call .* failed: the disk holding .*linekeeper\.db is full; free space/,
    },
  );
  await db.stop();
});
