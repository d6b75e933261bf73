import { readFileSync } from 'node:fs';
import t from 'tap';
import { aLawDecode, aLawEncode, muLawDecode, muLawEncode } from '../../src/audio/g711.js';

// Decode tables as produced by an independent implementation (sox), which agrees with the
// ITU-T G.191 reference expanders on all 256 codes.
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/audio/g711-decode-tables.json', import.meta.url), 'utf8'),
) as { ulaw: number[]; alaw: number[] };

t.test('decoding matches the reference tables for all 256 codes', async (t) => {
  for (let b = 0; b < 256; b++) {
    if (muLawDecode(b) !== reference.ulaw[b]) t.fail(`mu-law ${b}: ${muLawDecode(b)}`);
    if (aLawDecode(b) !== reference.alaw[b]) t.fail(`A-law ${b}: ${aLawDecode(b)}`);
  }
  t.pass('compared 512 codes');
});

t.test('ITU-T G.711 landmark codes', async (t) => {
  // Positive zero / silence, the two smallest magnitudes, and full scale.
  t.equal(muLawEncode(0), 0xff);
  t.equal(muLawEncode(-1), 0x7f, 'one complement: -1 is negative zero');
  t.equal(muLawEncode(32767), 0x80);
  t.equal(muLawEncode(-32768), 0x00);
  t.equal(muLawDecode(0x80), 32124);
  t.equal(muLawDecode(0x00), -32124);
  t.equal(aLawEncode(0), 0xd5, 'A-law silence has alternate bits set');
  t.equal(aLawEncode(-1), 0x55);
  t.equal(aLawEncode(32767), 0xaa);
  t.equal(aLawEncode(-32768), 0x2a);
  t.equal(aLawDecode(0xd5), 8);
  t.equal(aLawDecode(0xaa), 32256);
  t.equal(aLawDecode(0x2a), -32256);
  // Out-of-range and fractional inputs saturate / round like a real codec input stage.
  t.equal(muLawEncode(40000), 0x80);
  t.equal(aLawEncode(-1e6), 0x2a);
  t.equal(muLawEncode(0.4), 0xff);
});

t.test('encode(decode(code)) returns the code', async (t) => {
  for (let b = 0; b < 256; b++) {
    // 0x7f is mu-law "negative zero": it decodes to 0, which encodes as positive zero 0xff.
    if (b !== 0x7f && muLawEncode(muLawDecode(b)) !== b) t.fail(`mu-law code ${b}`);
    if (aLawEncode(aLawDecode(b)) !== b) t.fail(`A-law code ${b}`);
  }
  t.equal(muLawEncode(muLawDecode(0x7f)), 0xff);
});

t.test('every 16-bit sample lies within its code interval', async (t) => {
  // A G.711 level sits in the middle of its decision interval, whose width doubles per segment.
  // The codec sees only the top 14 (mu-law) or 13 (A-law) bits, hence the extra slack.
  const muStep = (b: number) => 8 << ((~b >> 4) & 7);
  const aStep = (b: number) => 16 << Math.max(0, (((b ^ 0x55) & 0x7f) >> 4) - 1);
  const check = (
    name: string,
    enc: (s: number) => number,
    dec: (b: number) => number,
    step: (b: number) => number,
    slack: number,
  ) => {
    for (let s = -32768; s < 32768; s++) {
      const b = enc(s);
      const err = Math.abs(dec(b) - s);
      // Full-scale inputs clip to the top level; that error is saturation, not quantisation.
      if (err > step(b) / 2 + slack && Math.abs(s) < 32000) {
        t.fail(`${name}: ${s} decoded as ${dec(b)}, interval width ${step(b)}`);
        return;
      }
    }
    t.pass(`${name}: all 65536 inputs inside their interval`);
  };
  check('mu-law', muLawEncode, muLawDecode, muStep, 4);
  check('A-law', aLawEncode, aLawDecode, aStep, 16);
  // One-complement symmetry: -s-1 mirrors s exactly (what G.191 specifies and sox does not).
  for (let s = 0; s < 32768; s++) {
    if (aLawDecode(aLawEncode(-s - 1)) !== -aLawDecode(aLawEncode(s)))
      t.fail(`A-law asymmetric at ${s}`);
    if (s > 0 && muLawDecode(muLawEncode(-s - 1)) !== -muLawDecode(muLawEncode(s)))
      t.fail(`mu-law asymmetric at ${s}`);
  }
});

t.test('encoding is monotonic', async (t) => {
  let lastMu = -Infinity;
  let lastA = -Infinity;
  for (let s = -32768; s < 32768; s++) {
    const mu = muLawDecode(muLawEncode(s));
    const a = aLawDecode(aLawEncode(s));
    if (mu < lastMu || a < lastA) {
      t.fail(`not monotonic at ${s}`);
      return;
    }
    lastMu = mu;
    lastA = a;
  }
  t.pass('monotonic over the whole 16-bit range');
});
