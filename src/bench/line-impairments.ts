import { aLawDecode, aLawEncode, muLawDecode, muLawEncode } from '../audio/g711.js';

export type Codec = 'ulaw' | 'alaw';

/** A G.711 encode/decode round trip, as every sample on a digital phone network gets. */
export function g711RoundTrip(samples: Int16Array, codec: Codec): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    out[i] =
      codec === 'ulaw'
        ? muLawDecode(muLawEncode(samples[i]!))
        : aLawDecode(aLawEncode(samples[i]!));
  }
  return out;
}

/** Adds white Gaussian noise at `snrDb` below the signal's mean power; seeded, so runs repeat. */
export function addNoise(samples: Int16Array, snrDb: number, seed = 1): Int16Array {
  let power = 0;
  for (const s of samples) power += s * s;
  power /= Math.max(1, samples.length);
  const sigma = Math.sqrt(power / 10 ** (snrDb / 10));
  let state = seed >>> 0 || 1;
  const uniform = () => {
    // xorshift32: deterministic and fast; quality is ample for noise.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 1) / 4294967297;
  };
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const gauss = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! + sigma * gauss)));
  }
  return out;
}
