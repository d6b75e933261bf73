import t from 'tap';
import { AudioFormatError } from '../../src/audio/audio-errors.js';
import { muLawEncode } from '../../src/audio/g711.js';
import {
  bytesPerSample,
  decodePcm,
  encodePcm,
  PCM_FORMATS,
  type PcmFormat,
} from '../../src/audio/pcm-formats.js';

function sweep(): Int16Array {
  const s = new Int16Array(4000);
  for (let i = 0; i < s.length; i++)
    s[i] = Math.round(30000 * Math.sin(i * 0.0123) * Math.cos(i * 0.003));
  s[0] = 32767;
  s[1] = -32768;
  s[2] = 0;
  return s;
}

t.test('bytesPerSample', async (t) => {
  t.same(PCM_FORMATS.map(bytesPerSample), [1, 1, 1, 1, 2]);
});

t.test('s16le is lossless and little-endian', async (t) => {
  const s = sweep();
  const bytes = encodePcm('s16le', s);
  t.equal(bytes.length, s.length * 2);
  t.same([bytes[0], bytes[1], bytes[2], bytes[3]], [0xff, 0x7f, 0x00, 0x80]);
  t.same(decodePcm('s16le', bytes), s);
  t.same(Buffer.from(bytes.buffer).readInt16LE(200), s[100]);
});

t.test('8-bit formats: known bytes and round trip within one 8-bit step', async (t) => {
  t.same(
    Array.from(encodePcm('u8', Int16Array.of(0, 32767, -32768, 256, -256))),
    [128, 255, 0, 129, 127],
  );
  t.same(
    Array.from(encodePcm('s8', Int16Array.of(0, 32767, -32768, 256, -256))),
    [0, 127, 128, 1, 255],
  );
  t.same(Array.from(decodePcm('u8', Uint8Array.of(128, 255, 0))), [0, 32512, -32768]);
  t.same(Array.from(decodePcm('s8', Uint8Array.of(0, 127, 128, 255))), [0, 32512, -32768, -256]);
  const s = sweep();
  for (const f of ['u8', 's8'] as PcmFormat[]) {
    const back = decodePcm(f, encodePcm(f, s));
    let worst = 0;
    for (let i = 0; i < s.length; i++) worst = Math.max(worst, Math.abs(back[i]! - s[i]!));
    t.ok(worst <= 255, `${f} worst error ${worst}`);
  }
});

t.test('G.711 formats use the G.711 codec and survive a second pass unchanged', async (t) => {
  const s = sweep();
  for (const f of ['ulaw', 'alaw'] as PcmFormat[]) {
    const once = decodePcm(f, encodePcm(f, s));
    const twice = decodePcm(f, encodePcm(f, once));
    t.same(twice, once, `${f} is idempotent after the first quantisation`);
  }
  t.equal(encodePcm('ulaw', Int16Array.of(1234))[0], muLawEncode(1234));
});

t.test('caller-provided buffers are reused, not reallocated', async (t) => {
  const out = new Int16Array(100);
  const got = decodePcm('ulaw', new Uint8Array(40).fill(0xff), out);
  t.equal(got.buffer, out.buffer);
  t.equal(got.length, 40);
  const bytes = new Uint8Array(100);
  const enc = encodePcm('s16le', new Int16Array(50), bytes);
  t.equal(enc.buffer, bytes.buffer);
  t.equal(enc.length, 100);
});

t.test('bad input gives a typed error', async (t) => {
  t.throws(() => decodePcm('s16le', new Uint8Array(3)), AudioFormatError);
  t.throws(() => decodePcm('ulaw', new Uint8Array(10), new Int16Array(5)), AudioFormatError);
  t.throws(() => encodePcm('s16le', new Int16Array(10), new Uint8Array(10)), AudioFormatError);
  t.throws(() => decodePcm('mp3' as PcmFormat, new Uint8Array(10)), AudioFormatError);
});
