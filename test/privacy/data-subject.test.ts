import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { CallerPseudonymizer } from '../../src/privacy/caller-pseudonymizer.js';
import { loadOrCreateDeviceSecret } from '../../src/privacy/device-secret.js';
import { NumberSealer } from '../../src/privacy/number-sealer.js';
import { SqliteCallbackStore } from '../../src/storage/sqlite/sqlite-callback-store.js';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import { makeSandbox } from '../helpers/spawn-appliance.js';
import { runPrivacyCli } from './support/privacy-cli.js';

const PATIENT = '+49 30 555 0123';
const OTHER = '+49 30 555 0999';

function rawBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
}

t.test('privacy export and erase find everything about one number, and are audited', async (t) => {
  const box = await makeSandbox(t);
  const cli = (...args: string[]) => runPrivacyCli(box.dir, ['-c', box.configPath, ...args]);
  const simulated = await cli(
    'simulate',
    '--caller',
    PATIENT,
    '--dtmf',
    '1',
    '--dtmf',
    '1',
    '--dtmf',
    '1',
    '--json',
  );
  t.equal(simulated.code, 0, simulated.stderr);
  const callId = (JSON.parse(simulated.stdout) as { callId: string }).callId;
  t.equal((await cli('simulate', '--caller', OTHER, '--dtmf', '3', '--json')).code, 0);

  // The callback request as the call desk stores it (sealed number, same device secret).
  const secret = loadOrCreateDeviceSecret(join(box.dataDir, 'device-secret'));
  const hash = new CallerPseudonymizer(secret).hashNumber(PATIENT);
  const db = new SqliteDatabase(box.database);
  await db.start();
  new SqliteCallbackStore(db, new NumberSealer(secret)).add({
    callId,
    number: '+49305550123',
    callerHash: hash,
    callerHint: '23',
    topic: 'appointments',
    window: 'morning',
    language: 'en',
    createdAtMs: Date.now(),
    retentionMs: 86_400_000,
  });
  await db.stop();

  const exported = await cli('privacy', 'export', '--number', '+49 (30) 555-0123');
  t.equal(exported.code, 0, exported.stderr);
  const report = JSON.parse(exported.stdout);
  t.equal(report.request.callerHash, hash, 'the same keyed hash the calls were stored under');
  t.equal(report.data.calls.length, 1, 'only this caller’s call');
  t.equal(report.data.calls[0].id, callId);
  t.equal(report.data.calls[0].caller_hint, '23');
  t.equal(report.data.callbacks.length, 1);
  t.equal(
    report.data.callbacks[0].number,
    '+49305550123',
    'the sealed number, opened for its owner',
  );
  t.notOk('number_sealed' in report.data.callbacks[0]);

  const erased = await cli('privacy', 'erase', '--number', PATIENT);
  t.equal(erased.code, 0, erased.stderr);
  t.match(JSON.parse(erased.stdout), { erased: { calls: 1, callbacks: 1 } });

  const after = JSON.parse((await cli('privacy', 'export', '--number', PATIENT)).stdout);
  t.same(after.data.calls, []);
  t.same(after.data.callbacks, []);
  t.same(
    after.data.auditLog.map((e: { action: string; actor: string }) => e.action),
    ['privacy.export', 'privacy.erase'],
    'both requests are in the audit log, under the hash',
  );
  t.match(after.data.auditLog[1].actor, /^cli:/);
  t.notOk(
    rawBytes(box.database).includes(Buffer.from(callId)),
    'the erased call is gone from the file and its WAL',
  );
  const other = JSON.parse((await cli('privacy', 'export', '--number', OTHER)).stdout);
  t.equal(other.data.calls.length, 1, 'another caller’s data is untouched');
});

t.test('a bad number is refused with an actionable message', async (t) => {
  const box = await makeSandbox(t);
  const result = await runPrivacyCli(box.dir, [
    '-c',
    box.configPath,
    'privacy',
    'erase',
    '--number',
    'nobody',
  ]);
  t.equal(result.code, 2);
  t.match(
    result.stderr,
    /"nobody" is not a phone number; give it as the clinic's phone would show it/,
  );
});
