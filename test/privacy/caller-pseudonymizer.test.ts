import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CallerPseudonymizer, normalizeNumber } from '../../src/privacy/caller-pseudonymizer.js';
import { loadOrCreateDeviceSecret } from '../../src/privacy/device-secret.js';

const at = new Date();

t.test(
  'the same number in any format gives the same hash; the hint is the last two digits',
  async (t) => {
    const p = new CallerPseudonymizer(randomBytes(32));
    const a = p.pseudonymize({ number: '+1 (555) 010-0199', receivedAt: at });
    const b = p.pseudonymize({ number: '+15550100199', receivedAt: at });
    t.equal(a.hash, b.hash);
    t.equal(a.hint, '99');
    t.match(a.hash!, /^[0-9a-f]{32}$/);
    t.notMatch(a.hash!, /5550100199/);
    t.not(
      p.pseudonymize({ number: '5550100199', receivedAt: at }).hash,
      a.hash,
      'a leading + is significant',
    );
  },
);

t.test('another device (another secret) gives another hash for the same number', async (t) => {
  const number = { number: '0301234567', receivedAt: at };
  t.not(
    new CallerPseudonymizer(randomBytes(32)).pseudonymize(number).hash,
    new CallerPseudonymizer(randomBytes(32)).pseudonymize(number).hash,
  );
});

t.test('withheld and missing numbers have no hash', async (t) => {
  const p = new CallerPseudonymizer(randomBytes(32));
  t.same(p.pseudonymize({ withheld: 'private', receivedAt: at }), {
    hash: null,
    hint: null,
    withheld: 'private',
  });
  t.same(p.pseudonymize(null), { hash: null, hint: null, withheld: 'unavailable' });
  t.same(p.pseudonymize({ number: 'O', receivedAt: at }), {
    hash: null,
    hint: null,
    withheld: 'unavailable',
  });
  t.equal(normalizeNumber('  '), null);
});

t.test('a short secret is refused', async (t) => {
  t.throws(() => new CallerPseudonymizer(Buffer.alloc(8)));
});

t.test('the device secret is created once, private, and reused', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'lk-secret-')), 'var', 'device-secret');
  const first = loadOrCreateDeviceSecret(file);
  t.equal(first.length, 32);
  t.equal(statSync(file).mode & 0o777, 0o600);
  t.same(loadOrCreateDeviceSecret(file), first);
  writeFileSync(file, 'not hex');
  t.throws(() => loadOrCreateDeviceSecret(file), {
    code: 'DEVICE_SECRET_CORRUPT',
    message: /restore it from backup/,
  });
  t.equal(readFileSync(file, 'utf8'), 'not hex', 'a damaged secret is never silently replaced');
});
