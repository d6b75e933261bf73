import t from 'tap';
import {
  DEFAULT_MODEM_OPTIONS,
  resolveModemOptions,
} from '../../../src/line/modem/modem-options.js';
import { MODEM_PROFILES, profileForIdentity } from '../../../src/line/modem/modem-profiles.js';
import { voiceEventOf } from '../../../src/line/modem/voice-events.js';

t.test('profiles are picked by identification text', async (t) => {
  t.equal(profileForIdentity('5601\nU.S. Robotics 56K FAX USB V1.2.23\nUSR5637').name, 'usr-5637');
  t.equal(profileForIdentity('56000\nCX93001-EIS_V0.2002-V92\nCONEXANT').name, 'conexant');
  t.equal(profileForIdentity('Zoom 3095 USB Mini External Modem').name, 'conexant');
  t.equal(profileForIdentity('Voice Modem 1.0').name, 'generic-ulaw');
  t.equal(profileForIdentity('').name, 'generic-ulaw');
  t.equal(MODEM_PROFILES['usr-5637'].sampleMode, '128,8000');
  t.equal(MODEM_PROFILES.conexant.sampleMode, '1,8000');
  t.equal(MODEM_PROFILES['generic-alaw'].pcmFormat, 'alaw');
});

t.test('options: defaults and typed errors naming the key', async (t) => {
  const options = resolveModemOptions({ device: '/dev/ttyACM0' });
  t.same(options, { ...DEFAULT_MODEM_OPTIONS, device: '/dev/ttyACM0' });
  const cases: [object, RegExp][] = [
    [{ device: ' ' }, /line\.modem\.device/],
    [{ device: 'x', answerOnRing: -1 }, /line\.modem\.answerOnRing/],
    [{ device: 'x', answerOnRing: 1.5 }, /line\.modem\.answerOnRing/],
    [
      { device: 'x', commandTimeoutMs: 0 },
      /line\.modem\.commandTimeoutMs: must be a positive number/,
    ],
    [{ device: 'x', profile: 'hayes' }, /line\.modem\.profile: unknown profile "hayes"/],
    [{ device: 'x', country: 'XX' }, /line\.modem\.country/],
    [{ device: 'x', reconnectInitialMs: 5000, reconnectMaxMs: 1000 }, /reconnectMaxMs/],
  ];
  for (const [input, message] of cases) {
    t.throws(() => resolveModemOptions(input as never), { code: 'MODEM_CONFIG', message });
  }
  t.equal(resolveModemOptions({ device: 'x', country: 'gb', answerOnRing: 0 }).country, 'gb');
});

t.test('DLE event codes', async (t) => {
  const handset = MODEM_PROFILES.conexant.handsetCodes;
  t.same(voiceEventOf('5', handset), { kind: 'dtmf', digit: '5' });
  t.same(voiceEventOf('#', handset), { kind: 'dtmf', digit: '#' });
  t.same(voiceEventOf('b', handset), { kind: 'far-end-gone', reason: 'busy' });
  t.same(voiceEventOf('d', handset), { kind: 'far-end-gone', reason: 'dial-tone' });
  t.same(voiceEventOf('s', handset), { kind: 'far-end-gone', reason: 'silence' });
  t.same(voiceEventOf('q', handset), { kind: 'far-end-gone', reason: 'quiet' });
  for (const code of ['h', 'H', 'P'])
    t.same(voiceEventOf(code, handset), { kind: 'handset', code });
  t.same(voiceEventOf('R', handset), { kind: 'ring' });
  t.same(voiceEventOf('/', handset), { kind: 'dtmf-start' });
  t.same(voiceEventOf('~', handset), { kind: 'dtmf-end' });
  t.same(voiceEventOf('\u00ff', handset), { kind: 'unknown', code: '\u00ff' });
  t.same(
    voiceEventOf('H', ['P']),
    { kind: 'unknown', code: 'H' },
    'profile override narrows handset codes',
  );
});
