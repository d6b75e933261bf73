import { randomBytes } from 'node:crypto';
import t from 'tap';
import { NumberSealer } from '../../src/privacy/number-sealer.js';

t.test('a sealed number opens only with the same device secret and the same row id', async (t) => {
  const secret = randomBytes(32);
  const sealer = new NumberSealer(secret);
  const sealed = sealer.seal('+4930123456', 'row-1');
  t.notOk(sealed.includes(Buffer.from('4930123456')), 'no clear digits in the ciphertext');
  t.equal(sealer.open(sealed, 'row-1').toString(), '+4930123456');
  t.not(sealer.seal('+4930123456', 'row-1').toString('hex'), sealed.toString('hex'), 'fresh IV');
  t.throws(() => sealer.open(sealed, 'row-2'), { code: 'SEAL_DAMAGED' });
  const tampered = Buffer.from(sealed);
  tampered[tampered.length - 1]! ^= 1;
  t.throws(() => sealer.open(tampered, 'row-1'), { code: 'SEAL_DAMAGED' });
  const other = new NumberSealer(randomBytes(32));
  t.throws(() => other.open(sealed, 'row-1', sealer.keyId), {
    code: 'SEAL_WRONG_KEY',
    message: /device secret was replaced; restore the old device-secret file/,
  });
  t.equal(new NumberSealer(secret).keyId, sealer.keyId, 'the key is derived, not stored');
  t.throws(() => new NumberSealer(Buffer.alloc(16)));
});
