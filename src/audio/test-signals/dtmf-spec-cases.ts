import { renderDtmf } from '../dtmf-generator.js';
import { dbm0ToPeak, powerToDbm0 } from '../levels.js';
import { renderTone } from '../tone-generator.js';
import { concat, g711RoundTrip, mix, whiteNoise } from './signals.js';

/**
 * The DTMF receiver specification rows of issue 3, each as generated audio with the digit
 * string a compliant receiver must report ('' where it must report nothing). The tests, the
 * benchmark and the multimon-ng comparison all use these same cases.
 */
export interface DtmfSpecCase {
  id: string;
  title: string;
  audio: Int16Array;
  expected: string;
}

export const ALL_DIGITS = '123A456B789C*0#D';
const SILENCE_MS = 200;

function silence(ms: number): Int16Array {
  return new Int16Array(ms * 8);
}

/** Tone burst sequence with lead-in and lead-out silence so every receiver sees clean edges. */
function burst(digits: string, opts: Parameters<typeof renderDtmf>[1] = {}): Int16Array {
  return concat(silence(SILENCE_MS), renderDtmf(digits, opts), silence(SILENCE_MS));
}

/** Active level of speech: mean square over the 20 ms frames within 30 dB of the loudest. */
export function activeSpeechPower(speech: ArrayLike<number>): number {
  const frame = 160;
  const powers: number[] = [];
  for (let i = 0; i + frame <= speech.length; i += frame) {
    let s = 0;
    for (let j = 0; j < frame; j++) s += speech[i + j]! ** 2;
    powers.push(s / frame);
  }
  const loudest = Math.max(...powers, 1e-9);
  const active = powers.filter((p) => p > loudest / 1000);
  return active.reduce((a, b) => a + b, 0) / Math.max(1, active.length);
}

/** Speech scaled to an active level in dBm0 and looped to `length` samples. */
export function speechAt(speech: Int16Array, dbm0: number, length: number): Float64Array {
  const gain = dbm0ToPeak(dbm0) / dbm0ToPeak(powerToDbm0(activeSpeechPower(speech)));
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = speech[i % speech.length]! * gain;
  return out;
}

/** Noise at `snrDb` below the power of two tones at `toneDbm0` each. */
function noiseFor(length: number, toneDbm0: number, snrDb: number, seed: number): Float64Array {
  const tonePower = dbm0ToPeak(toneDbm0) ** 2; // two tones of A^2/2 each
  return whiteNoise(length, Math.sqrt(tonePower / 10 ** (snrDb / 10)), seed);
}

/** `speech`: a few seconds of real telephone-band speech (8 kHz) for the talk-over row. */
export function buildDtmfSpecCases(speech: Int16Array): DtmfSpecCase[] {
  const at = (low: number, high = low) => ({
    lowDbm0: low,
    highDbm0: high,
    toneMs: 60,
    pauseMs: 60,
  });
  const cases: DtmfSpecCase[] = [];
  const add = (id: string, title: string, audio: Int16Array, expected: string) =>
    cases.push({ id, title, audio, expected });

  add('nominal', 'all 16 digits, -7/-5 dBm0, 80 ms on / 80 ms off', burst(ALL_DIGITS), ALL_DIGITS);
  for (const dev of [0.015, -0.015]) {
    const pct = `${dev > 0 ? '+' : ''}${(dev * 100).toFixed(1)} %`;
    add(
      `dev${dev > 0 ? '+' : '-'}1.5`,
      `frequency deviation ${pct}: accept`,
      burst(ALL_DIGITS, { deviation: dev }),
      ALL_DIGITS,
    );
  }
  for (const dev of [0.035, -0.035]) {
    const pct = `${dev > 0 ? '+' : ''}${(dev * 100).toFixed(1)} %`;
    add(
      `dev${dev > 0 ? '+' : '-'}3.5`,
      `frequency deviation ${pct}: reject`,
      burst(ALL_DIGITS, { deviation: dev }),
      '',
    );
  }
  add(
    '40ms',
    '40 ms tones with 40 ms pauses: accept',
    burst(ALL_DIGITS, { toneMs: 40, pauseMs: 40 }),
    ALL_DIGITS,
  );
  add(
    '20ms',
    '20 ms tones (80 ms apart): reject',
    burst(ALL_DIGITS, { toneMs: 20, pauseMs: 80 }),
    '',
  );
  add(
    'twist-8',
    'normal twist 8 dB (high tone 8 dB weaker): accept',
    burst(ALL_DIGITS, at(-6, -14)),
    ALL_DIGITS,
  );
  add(
    'twist+4',
    'reverse twist 4 dB (high tone 4 dB stronger): accept',
    burst(ALL_DIGITS, at(-12, -8)),
    ALL_DIGITS,
  );
  add('-3dBm0', '-3 dBm0 per tone: accept', burst(ALL_DIGITS, at(-3)), ALL_DIGITS);
  add('-29dBm0', '-29 dBm0 per tone: accept', burst(ALL_DIGITS, at(-29)), ALL_DIGITS);

  const noisy = burst(ALL_DIGITS, at(-20));
  add(
    'noise',
    'white noise 15 dB below the tone pair, -20 dBm0 per tone',
    mix(noisy, noiseFor(noisy.length, -20, 15, 11)),
    ALL_DIGITS,
  );
  add(
    'ulaw',
    'mu-law round trip at -25 dBm0 per tone',
    g711RoundTrip(burst(ALL_DIGITS, at(-25)), 'ulaw'),
    ALL_DIGITS,
  );
  add(
    'alaw',
    'A-law round trip at -25 dBm0 per tone',
    g711RoundTrip(burst(ALL_DIGITS, at(-25)), 'alaw'),
    ALL_DIGITS,
  );

  const quiet = burst(ALL_DIGITS, at(-15));
  const usDial = renderTone(
    {
      components: [
        { hz: 350, dbm0: -13 },
        { hz: 440, dbm0: -13 },
      ],
    },
    quiet.length / 8,
  );
  add(
    'dial-us',
    'over US dial tone (350+440 Hz, -13 dBm0), tones -15 dBm0',
    mix(quiet, usDial),
    ALL_DIGITS,
  );
  const euDial = renderTone({ components: [{ hz: 425, dbm0: -10 }] }, quiet.length / 8);
  add(
    'dial-eu',
    'over European dial tone (425 Hz, -10 dBm0), tones -15 dBm0',
    mix(quiet, euDial),
    ALL_DIGITS,
  );

  const loud = burst(ALL_DIGITS, at(-10, -8));
  add(
    'speech',
    'over speech (active level -22 dBm0), tones -10/-8 dBm0',
    mix(loud, speechAt(speech, -22, loud.length)),
    ALL_DIGITS,
  );

  const held = concat(
    silence(SILENCE_MS),
    renderDtmf('559', { toneMs: 700, pauseMs: 100 }),
    silence(SILENCE_MS),
  );
  add('long-press', 'keys held 700 ms: each reported once', held, '559');

  const weak = burst(ALL_DIGITS, { ...at(-29), deviation: 0.015 });
  const worst = g711RoundTrip(mix(weak, noiseFor(weak.length, -29, 15, 12)), 'ulaw');
  add('combined', '-29 dBm0, +1.5 %, 15 dB SNR noise, mu-law: accept', worst, ALL_DIGITS);

  const speechOnly = speechAt(speech, -15, speech.length);
  add('speech-only', 'speech alone at -15 dBm0: no digits', g711RoundTrip(mix(speechOnly)), '');
  return cases;
}

/** Sample-accurate start of each tone in `burst(ALL_DIGITS, ...)` with the given timing. */
export function burstStartsMs(count: number, toneMs: number, pauseMs: number): number[] {
  return Array.from({ length: count }, (_, i) => SILENCE_MS + i * (toneMs + pauseMs));
}
