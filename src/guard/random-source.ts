import { randomInt } from 'node:crypto';

/** A uniform number in [0, 1). Injected so tests and the flood simulation are repeatable. */
export type RandomSource = () => number;

/** The appliance's randomness: the challenge digits must not be predictable from earlier calls. */
export const cryptoRandom: RandomSource = () => randomInt(0, 2 ** 32) / 2 ** 32;

/** mulberry32: small, fast and repeatable from a seed; for simulations and tests only. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function randomDigits(random: RandomSource, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(Math.min(9, Math.floor(random() * 10)));
  return out;
}
