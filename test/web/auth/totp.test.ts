import t from 'tap';
import {
  base32Decode,
  base32Encode,
  groupedSecret,
  matchTotp,
  otpauthUri,
  TOTP_STEP_MS,
  totpCode,
  totpStep,
} from '../../../src/web/auth/totp.js';

// RFC 6238 Appendix B, SHA-1 rows; the RFC prints 8 digits, an app shows the last 6.
const RFC_SECRET = Buffer.from('12345678901234567890');
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

t.test('codes match the RFC 6238 test vectors', async (t) => {
  for (const [seconds, expected] of RFC_VECTORS) {
    const step = totpStep(seconds * 1000);
    t.equal(totpCode(RFC_SECRET, step, 8), expected, `T=${seconds}s, 8 digits`);
    t.equal(totpCode(RFC_SECRET, step), expected.slice(2), `T=${seconds}s, 6 digits`);
  }
});

t.test('base32 matches RFC 4648 and reads what people type', async (t) => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];
  for (const [plain, encoded] of vectors) {
    t.equal(base32Encode(Buffer.from(plain)), encoded, `"${plain}"`);
    t.equal(base32Decode(encoded).toString(), plain);
  }
  const secret = Buffer.from('0123456789abcdefghij');
  t.same(base32Decode(groupedSecret(secret).toLowerCase()), secret, 'grouped, lower case');
  t.throws(() => base32Decode('MZ1'), /"1" is not a base32 character/);
});

t.test('one step either side is accepted; two are not; a spent step is a replay', async (t) => {
  const now = 1_700_000_000_000;
  const step = totpStep(now);
  const codeAt = (s: number) => totpCode(RFC_SECRET, s);
  t.same(matchTotp(RFC_SECRET, codeAt(step), now, 0), { step });
  t.same(matchTotp(RFC_SECRET, codeAt(step - 1), now, 0), { step: step - 1 }, 'phone behind');
  t.same(matchTotp(RFC_SECRET, codeAt(step + 1), now, 0), { step: step + 1 }, 'phone ahead');
  t.equal(matchTotp(RFC_SECRET, codeAt(step - 2), now, 0), null, 'a minute old: refused');
  t.equal(matchTotp(RFC_SECRET, codeAt(step + 2), now, 0), null);
  t.same(matchTotp(RFC_SECRET, codeAt(step), now, step), { replayed: true }, 'spent');
  t.same(matchTotp(RFC_SECRET, codeAt(step - 1), now, step - 1), { replayed: true });
  t.same(matchTotp(RFC_SECRET, codeAt(step + 1), now, step), { step: step + 1 }, 'newer: fine');
  const spaced = `${codeAt(step).slice(0, 3)} ${codeAt(step).slice(3)}`;
  t.same(matchTotp(RFC_SECRET, spaced, now, 0), { step }, 'typed with a space');
  for (const junk of ['', '12345', '1234567', 'abcdef', '12345\u0661']) {
    t.equal(matchTotp(RFC_SECRET, junk, now, 0), null, `"${junk}" is no code`);
  }
  t.equal(TOTP_STEP_MS, 30_000);
});

t.test('the otpauth URI carries what authenticator apps need', async (t) => {
  const uri = new URL(
    otpauthUri({ issuer: 'linekeeper', account: 'dr smith', secret: Buffer.from('foobar') }),
  );
  t.equal(uri.protocol, 'otpauth:');
  t.equal(uri.host, 'totp');
  t.equal(decodeURIComponent(uri.pathname), '/linekeeper:dr smith');
  t.equal(uri.searchParams.get('secret'), 'MZXW6YTBOI');
  t.equal(uri.searchParams.get('issuer'), 'linekeeper');
  t.equal(uri.searchParams.get('digits'), '6');
  t.equal(uri.searchParams.get('period'), '30');
  t.equal(uri.searchParams.get('algorithm'), 'SHA1');
});
