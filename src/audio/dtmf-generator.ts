import { DspConfigError } from './audio-errors.js';
import { dtmfPair } from './dtmf-frequencies.js';
import { renderTone } from './tone-generator.js';

export interface DtmfRenderOptions {
  toneMs?: number;
  pauseMs?: number;
  /** Low-group level per tone. Q.23 senders are around -7 dBm0 low, high group 2 dB hotter. */
  lowDbm0?: number;
  highDbm0?: number;
  /** Relative frequency error applied to both tones (0.015 = +1.5 %), for receiver tests. */
  deviation?: number;
  rampMs?: number;
  sampleRate?: number;
}

/**
 * Renders a dial string (0-9, *, #, A-D) as tone/pause pairs, starting with the first tone.
 * Used for hook-flash transfers (dialling an extension) and for generating test audio.
 */
export function renderDtmf(digits: string, options: DtmfRenderOptions = {}): Int16Array {
  const sampleRate = options.sampleRate ?? 8000;
  const toneMs = options.toneMs ?? 80;
  const pauseMs = options.pauseMs ?? 80;
  const dev = 1 + (options.deviation ?? 0);
  const parts: Int16Array[] = [];
  for (const d of digits) {
    const pair = dtmfPair(d);
    if (!pair) throw new DspConfigError(`'${d}' is not a DTMF digit: use 0-9, *, #, A-D`);
    const spec = {
      components: [
        { hz: pair.low * dev, dbm0: options.lowDbm0 ?? -7 },
        { hz: pair.high * dev, dbm0: options.highDbm0 ?? -5 },
      ],
      rampMs: options.rampMs ?? 0,
    };
    parts.push(renderTone(spec, toneMs, sampleRate));
    parts.push(new Int16Array(Math.round((pauseMs * sampleRate) / 1000)));
  }
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
