/**
 * Signal generators for DSP tests, the acceptance cases and the benchmark: seeded noise, mixing,
 * band limiting, codec round trips. Not used on the live call path.
 */
import { decodePcm, encodePcm } from '../pcm-formats.js';

/** Seeded xorshift32 so generated noise, and so every test, is reproducible. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Gaussian white noise with the given RMS (Box-Muller). */
export function whiteNoise(length: number, rms: number, seed = 7): Float64Array {
  const rand = seededRandom(seed);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i += 2) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = rms * Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export function rms(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, x.length));
}

/** Sum of signals (shorter ones are zero-padded), clipped to 16 bits. */
export function mix(...signals: ArrayLike<number>[]): Int16Array {
  const n = Math.max(...signals.map((s) => s.length));
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const s of signals) v += i < s.length ? s[i]! : 0;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return out;
}

export function scale(x: ArrayLike<number>, gain: number): Float64Array {
  return Float64Array.from(x as ArrayLike<number>, (v) => v * gain);
}

export function g711RoundTrip(x: Int16Array, law: 'ulaw' | 'alaw' = 'ulaw'): Int16Array {
  return decodePcm(law, encodePcm(law, x));
}

export function concat(...parts: ArrayLike<number>[]): Int16Array {
  return mix(
    ...parts.map((p, i) => {
      const offset = parts.slice(0, i).reduce((n, q) => n + q.length, 0);
      const padded = new Float64Array(offset + p.length);
      padded.set(p as ArrayLike<number>, offset);
      return padded;
    }),
  );
}

/**
 * 300-3400 Hz telephone band limit: windowed-sinc band-pass FIR (129 taps, Blackman), applied
 * to 8 kHz audio, as a phone line would (microphone recordings carry energy outside it).
 */
export function telephoneBand(x: ArrayLike<number>): Float64Array {
  const taps = 129;
  const h = new Float64Array(taps);
  const m = (taps - 1) / 2;
  const lo = 300 / 8000;
  const hi = 3400 / 8000;
  for (let i = 0; i < taps; i++) {
    const k = i - m;
    const ideal =
      k === 0
        ? 2 * (hi - lo)
        : (Math.sin(2 * Math.PI * hi * k) - Math.sin(2 * Math.PI * lo * k)) / (Math.PI * k);
    const w =
      0.42 -
      0.5 * Math.cos((2 * Math.PI * i) / (taps - 1)) +
      0.08 * Math.cos((4 * Math.PI * i) / (taps - 1));
    h[i] = ideal * w;
  }
  const out = new Float64Array(x.length);
  const len = x.length;
  for (let n = 0; n < len; n++) {
    let acc = 0;
    if (n >= m && n + m < len) {
      // Interior: every tap has a sample (same sums in the same order as at the edges).
      for (let i = 0, j = n + m; i < taps; i++, j--) acc += h[i]! * x[j]!;
    } else {
      for (let i = 0; i < taps; i++) {
        const j = n - i + m;
        if (j >= 0 && j < len) acc += h[i]! * x[j]!;
      }
    }
    out[n] = acc;
  }
  return out;
}
