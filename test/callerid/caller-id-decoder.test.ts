import t from 'tap';
import { renderDtmf } from '../../src/audio/dtmf-generator.js';
import {
  concat,
  g711RoundTrip,
  mix,
  rms,
  whiteNoise,
} from '../../src/audio/test-signals/signals.js';
import { renderTone } from '../../src/audio/tone-generator.js';
import {
  buildMdmf,
  buildSdmf,
  type CallerIdFields,
  parseCallerIdMessage,
} from '../../src/callerid/caller-id-message.js';
import { decodeCallerIdAudio } from '../../src/callerid/decode-caller-id-audio.js';
import { type FskRenderOptions, renderCallerIdFsk } from '../../src/callerid/fsk-modulator.js';
import { FSK_STANDARD_NAMES, type FskStandardName } from '../../src/callerid/fsk-standards.js';

const FULL: CallerIdFields = {
  dateTime: { month: 12, day: 31, hour: 23, minute: 59 },
  number: '01632960123',
  name: 'A. PATIENT',
};

function onLine(
  message: Uint8Array,
  options: FskRenderOptions,
  snrDb = Infinity,
  seed = 1,
): Int16Array {
  const fsk = renderCallerIdFsk(message, options);
  const signal = concat(new Int16Array(1200 + seed * 7), fsk, new Int16Array(1200));
  if (!Number.isFinite(snrDb)) return signal;
  return mix(signal, whiteNoise(signal.length, rms(fsk) / 10 ** (snrDb / 20), seed));
}

for (const standard of FSK_STANDARD_NAMES) {
  t.test(`${standard}: SDMF and MDMF, every field, standard recognised`, async (t) => {
    const cases: [string, Uint8Array, Record<string, unknown>][] = [
      [
        'SDMF number',
        buildSdmf({ dateTime: FULL.dateTime!, number: '5551234' }),
        { format: 'sdmf', number: '5551234', dateTime: FULL.dateTime },
      ],
      [
        'SDMF private',
        buildSdmf({ dateTime: FULL.dateTime!, numberAbsence: 'private' }),
        { format: 'sdmf', numberAbsence: 'private' },
      ],
      [
        'SDMF out of area',
        buildSdmf({ dateTime: FULL.dateTime!, numberAbsence: 'unavailable' }),
        { format: 'sdmf', numberAbsence: 'unavailable' },
      ],
      ['MDMF full', buildMdmf(FULL), { format: 'mdmf', ...FULL }],
      [
        'MDMF withheld name and number',
        buildMdmf({ dateTime: FULL.dateTime!, numberAbsence: 'private', nameAbsence: 'private' }),
        { numberAbsence: 'private', nameAbsence: 'private' },
      ],
      [
        'MDMF number unavailable, name given',
        buildMdmf({ numberAbsence: 'unavailable', name: 'CLINIC' }),
        { numberAbsence: 'unavailable', name: 'CLINIC' },
      ],
    ];
    for (const [label, message, expected] of cases) {
      const result = decodeCallerIdAudio(onLine(message, { standard }));
      t.equal(result.messages.length, 1, `${label}: one message`);
      t.match(result.messages[0]?.message, expected, label);
      t.equal(result.messages[0]?.standard, standard, `${label}: recognised as ${standard}`);
      t.same(result.errors, [], `${label}: no errors`);
    }
  });

  t.test(`${standard}: robust to level, noise, codec, timing and without seizure`, async (t) => {
    const message = buildMdmf(FULL);
    const ok = (samples: Int16Array, label: string) => {
      const { messages } = decodeCallerIdAudio(samples);
      t.match(messages[0]?.message, { number: FULL.number, name: FULL.name }, label);
    };
    for (const level of [-5, -13.5, -20, -30]) {
      for (let seed = 1; seed <= 3; seed++) {
        const noisy = onLine(message, { standard, levelDbm0: level }, 20, seed);
        ok(g711RoundTrip(noisy, 'ulaw'), `${level} dBm0, 20 dB SNR, mu-law, seed ${seed}`);
        ok(g711RoundTrip(noisy, 'alaw'), `${level} dBm0, 20 dB SNR, A-law, seed ${seed}`);
      }
    }
    ok(onLine(message, { standard, baudError: 0.01 }), '1200 baud +1 %');
    ok(onLine(message, { standard, baudError: -0.01 }), '1200 baud -1 %');
    ok(onLine(message, { standard, frequencyError: 0.015 }), 'tones +1.5 %');
    ok(
      onLine(message, { standard, seizureBits: 0, markBits: 55 }),
      'no channel seizure, 55 mark bits',
    );
    ok(onLine(message, { standard, interByteMarkBits: 10 }), '10 mark bits between bytes');
    // Mains hum and DC offset from a cheap line interface.
    const hum = renderTone({ components: [{ hz: 50, dbm0: -10 }] }, 2000);
    ok(
      mix(onLine(message, { standard }), hum, new Int16Array(16000).fill(800)),
      'with -10 dBm0 hum and DC',
    );
  });

  t.test(`${standard}: a damaged message gives a typed error and no fields`, async (t) => {
    const message = buildMdmf(FULL);
    const corrupted = message.slice();
    corrupted[5] = corrupted[5]! ^ 0x04; // one bit of the number flipped on the line
    const result = decodeCallerIdAudio(onLine(corrupted, { standard }));
    t.same(result.messages, [], 'nothing decoded from it');
    t.equal(result.errors.length, 1, 'reported once');
    t.match(result.errors[0]?.error, { code: 'CALLER_ID_CHECKSUM', name: 'CallerIdChecksumError' });
    t.match(result.errors[0]?.error.message, /checksum/);

    // The carrier stops half way through (an extension picked up).
    const fsk = renderCallerIdFsk(message, { standard });
    const cut = concat(
      new Int16Array(800),
      fsk.subarray(0, fsk.length - 200),
      new Int16Array(2000),
    );
    const truncated = decodeCallerIdAudio(cut);
    t.same(truncated.messages, []);
    t.match(truncated.errors[0]?.error, { code: 'CALLER_ID_SIGNAL' });
  });
}

t.test('no caller ID is invented from noise, speech-band tones or DTMF', async (t) => {
  const noise = mix(whiteNoise(8000 * 10, 3000, 99));
  t.same(decodeCallerIdAudio(noise).messages, [], '10 s of loud white noise');
  const tones = concat(
    renderTone({ components: [{ hz: 1200, dbm0: -10 }] }, 1000),
    renderTone({ components: [{ hz: 2200, dbm0: -10 }] }, 300),
    renderTone({ components: [{ hz: 1300, dbm0: -10 }] }, 1000),
    renderDtmf('0123456789*#'),
  );
  t.same(decodeCallerIdAudio(tones).messages, [], 'steady mark tones, space tones, DTMF');
});

t.test('message codec: strict checksum, structure errors, round trip', async (t) => {
  const bytes = buildMdmf(FULL);
  t.match(parseCallerIdMessage(bytes), FULL);
  const bad = bytes.slice();
  bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
  t.throws(() => parseCallerIdMessage(bad), { code: 'CALLER_ID_CHECKSUM' });
  t.throws(() => parseCallerIdMessage(bytes.subarray(0, bytes.length - 1)), {
    code: 'CALLER_ID_FORMAT',
  });
  // A parameter whose length runs past the end, with a valid checksum.
  const body = [0x02, 0x09, 0x35, 0x35];
  const broken = [0x80, body.length, ...body];
  broken.push((0x100 - broken.reduce((a, b) => a + b, 0)) & 0xff);
  t.throws(() => parseCallerIdMessage(Uint8Array.from(broken)), { code: 'CALLER_ID_FORMAT' });
  t.throws(() => buildSdmf({}), { code: 'CALLER_ID_ENCODE' });
  t.throws(() => buildMdmf({ name: 'ZOË' }), { code: 'CALLER_ID_ENCODE' });
  const odd = parseCallerIdMessage(buildSdmf({ number: '123' }));
  t.match(odd.warnings, [/date/], 'a zero date is kept out, with a warning');
});

t.test('both standards in one recording, each named correctly', async (t) => {
  const a = renderCallerIdFsk(buildSdmf({ dateTime: FULL.dateTime!, number: '111' }), {
    standard: 'bell202',
  });
  const b = renderCallerIdFsk(buildMdmf({ number: '222' }), { standard: 'v23' });
  const { messages } = decodeCallerIdAudio(concat(a, new Int16Array(8000), b));
  t.same(
    messages.map((m) => [m.standard, m.message.number]),
    [
      ['bell202', '111'],
      ['v23', '222'],
    ] satisfies [FskStandardName, string][],
  );
});
