import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { AudioFileError, WavFormatError } from '../../src/audio/audio-errors.js';
import { decodePcm, encodePcm } from '../../src/audio/pcm-formats.js';
import { buildWav, parseWav, toMono } from '../../src/audio/wav.js';
import { readWavFile, writeWavFile } from '../../src/audio/wav-file.js';

const dir = mkdtempSync(join(tmpdir(), 'linekeeper-wav-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function ramp(n: number, seed = 1): Int16Array {
  const s = new Int16Array(n);
  for (let i = 0; i < n; i++)
    s[i] = Math.round(20000 * Math.sin(i * 0.05 * seed) + 3000 * Math.sin(i * 1.3));
  return s;
}

t.test('round trip for every writable format, mono and stereo, odd rates', async (t) => {
  for (const format of ['s16le', 'u8', 'ulaw', 'alaw'] as const) {
    for (const rate of [8000, 11025, 44100]) {
      const left = ramp(501);
      const right = ramp(501, 2);
      const wav = parseWav(buildWav([left, right], { sampleRate: rate, format }));
      t.equal(wav.sampleRate, rate);
      t.equal(wav.channels.length, 2);
      t.equal(wav.lengthRepaired, false);
      const expectL = decodePcm(format, encodePcm(format, left));
      const expectR = decodePcm(format, encodePcm(format, right));
      t.same(wav.channels[0], expectL, `${format} ${rate} left`);
      t.same(wav.channels[1], expectR, `${format} ${rate} right`);
    }
  }
});

t.test('files written by sox are read identically (independent writer)', async (t) => {
  const samples = ramp(800);
  const raw = join(dir, 'in.raw');
  writeFileSync(raw, encodePcm('s16le', samples));
  const cases: [string[], (s: Int16Array) => Int16Array][] = [
    [['-e', 'signed', '-b', '16'], (s) => s],
    [['-e', 'mu-law'], (s) => decodePcm('ulaw', encodePcm('ulaw', s))],
    [['-e', 'a-law'], (s) => decodePcm('alaw', encodePcm('alaw', s))],
    [['-e', 'signed', '-b', '24'], (s) => s],
    [['-e', 'floating-point', '-b', '32'], (s) => s],
    [['-e', 'unsigned', '-b', '8'], (s) => decodePcm('u8', encodePcm('u8', s))],
  ];
  for (const [args, expect] of cases) {
    const out = join(dir, 'sox.wav');
    execFileSync('sox', ['-D', '-t', 's16', '-r', '8000', '-c', '1', raw, ...args, out]);
    const wav = await readWavFile(out);
    const want = expect(samples);
    let worst = 0;
    for (let i = 0; i < want.length; i++)
      worst = Math.max(worst, Math.abs(wav.channels[0]![i]! - want[i]!));
    // sox's G.711 encoder rounds some negative boundary values the other way (not G.191 exact).
    t.ok(
      worst <= (args[1] === 'mu-law' || args[1] === 'a-law' ? 1024 : 1),
      `${args.join(' ')} worst ${worst}`,
    );
    t.equal(wav.channels[0]!.length, want.length);
  }
});

t.test('streaming header with a bogus data length: keep whole frames to the end', async (t) => {
  const s = ramp(300);
  for (const bogus of [0, 0xffffffff, 1_000_000]) {
    const bytes = buildWav([s], { sampleRate: 8000 });
    const view = new DataView(bytes.buffer);
    view.setUint32(40, bogus, true);
    view.setUint32(4, bogus, true);
    const cut = bytes.subarray(0, bytes.length - 1); // a half sample at the end
    const wav = parseWav(cut);
    t.equal(wav.lengthRepaired, true);
    t.same(wav.channels[0], s.subarray(0, 299), `bogus length ${bogus}`);
  }
});

t.test('skips unknown chunks with odd padding and reads WAVE_FORMAT_EXTENSIBLE', async (t) => {
  const s = ramp(10);
  const base = buildWav([s], { sampleRate: 16000 });
  // Insert a 3-byte LIST chunk (padded to 4) between fmt and data.
  const list = Uint8Array.of(0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 1, 2, 3, 0);
  const withList = new Uint8Array(base.length + list.length);
  withList.set(base.subarray(0, 36));
  withList.set(list, 36);
  withList.set(base.subarray(36), 36 + list.length);
  t.same(parseWav(withList).channels[0], s);

  const ext = new Uint8Array(68 + s.length * 2);
  const v = new DataView(ext.buffer);
  ext.set(base.subarray(0, 12));
  ext.set([0x66, 0x6d, 0x74, 0x20], 12);
  v.setUint32(16, 40, true);
  v.setUint16(20, 0xfffe, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, 16000, true);
  v.setUint32(28, 32000, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  v.setUint16(36, 22, true);
  v.setUint16(44, 1, true); // subformat GUID starts with PCM
  ext.set([0x64, 0x61, 0x74, 0x61], 60);
  v.setUint32(64, s.length * 2, true);
  ext.set(encodePcm('s16le', s), 68);
  t.same(parseWav(ext).channels[0], s);
});

t.test('malformed files give WavFormatError with an actionable message', async (t) => {
  const good = buildWav([ramp(20)], { sampleRate: 8000 });
  const mutate = (f: (b: Uint8Array, v: DataView) => void) => {
    const b = good.slice();
    f(b, new DataView(b.buffer));
    return b;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /only 0 bytes/],
    [
      'mp3',
      Uint8Array.from(Buffer.from('ID3\u0004\u0000 some mp3 data here')),
      /no RIFF\/WAVE signature/,
    ],
    ['rifx', mutate((b) => b.set([0x52, 0x49, 0x46, 0x58])), /RIFX/],
    ['zero channels', mutate((_, v) => v.setUint16(22, 0)), /channel count 0/],
    ['absurd rate', mutate((_, v) => v.setUint32(24, 5, true)), /sample rate 5 Hz/],
    [
      'mp3 in wav',
      mutate((_, v) => v.setUint16(20, 0x55, true)),
      /unsupported encoding \(format tag 85/,
    ],
    ['12-bit', mutate((_, v) => v.setUint16(34, 12, true)), /unsupported encoding/],
    ['block align', mutate((_, v) => v.setUint16(32, 4, true)), /block align 4/],
    ['short fmt', mutate((_, v) => v.setUint32(16, 8, true)), /fmt chunk is 8 bytes/],
    ['no data', good.slice(0, 36), /no data chunk/],
    [
      'no fmt',
      mutate((b) => b.set([0x78, 0x78, 0x78, 0x78], 12)),
      /no data chunk|data chunk comes before/,
    ],
  ];
  for (const [name, bytes, message] of cases) {
    t.throws(
      () => parseWav(bytes, 'call.wav'),
      { name: 'WavFormatError', code: 'WAV_MALFORMED', message },
      name,
    );
  }
  t.throws(() => parseWav(good.slice(0, 40), 'x.wav'), /x\.wav: not a usable WAV file at byte/);
  await t.rejects(readWavFile(join(dir, 'missing.wav')), AudioFileError);
  await t.rejects(readWavFile(join(dir, 'missing.wav')), /ENOENT/);
});

t.test('fuzz: random and mutated buffers only ever throw WavFormatError', async (t) => {
  // Seeded generator so a failure can be reproduced from the printed seed.
  let seed = 0x9e3779b9;
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const seeds = [
    buildWav([ramp(64)], { sampleRate: 8000 }),
    buildWav([ramp(33), ramp(33, 3)], { sampleRate: 22050, format: 'ulaw' }),
    buildWav([ramp(40)], { sampleRate: 8000, format: 'u8' }),
  ];
  let parsed = 0;
  let rejected = 0;
  for (let i = 0; i < 20000; i++) {
    let bytes: Uint8Array;
    if (i % 5 === 0) {
      bytes = new Uint8Array(Math.floor(rand() * 120));
      for (let j = 0; j < bytes.length; j++) bytes[j] = rand() * 256;
    } else {
      const src = seeds[i % seeds.length]!;
      bytes = src.slice(0, Math.max(0, src.length - Math.floor(rand() * rand() * src.length)));
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips && bytes.length > 0; f++) {
        // Bias mutations towards the header, where the parser makes its decisions.
        const at = Math.floor(rand() * Math.min(bytes.length, rand() < 0.8 ? 60 : bytes.length));
        bytes[at] = rand() < 0.3 ? 0xff : rand() * 256;
      }
    }
    try {
      const wav = parseWav(bytes, `fuzz-${i}`);
      if (wav.channels.some((c) => c.length !== wav.channels[0]!.length)) t.fail('ragged channels');
      parsed++;
    } catch (error) {
      if (!(error instanceof WavFormatError)) {
        t.fail(`case ${i} threw ${String(error)}`);
        return;
      }
      rejected++;
    }
  }
  t.ok(parsed > 1000 && rejected > 1000, `parsed ${parsed}, rejected ${rejected}`);
});

t.test('toMono averages channels; writeWavFile writes what readWavFile reads', async (t) => {
  const wav = parseWav(
    buildWav([Int16Array.of(100, -100, 32767), Int16Array.of(300, 100, 32767)], {
      sampleRate: 8000,
    }),
  );
  t.same(Array.from(toMono(wav)), [200, 0, 32767]);
  const path = join(dir, 'w.wav');
  await writeWavFile(path, [ramp(100)], { sampleRate: 8000, format: 'alaw' });
  const back = await readWavFile(path);
  t.equal(back.sourceFormat, 'alaw');
  t.equal(readFileSync(path).subarray(0, 4).toString(), 'RIFF');
  t.throws(() => buildWav([], { sampleRate: 8000 }), WavFormatError);
});
