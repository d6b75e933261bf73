import {
  type CallerIdDecodeEvent,
  CallerIdDecoder,
  type DecodedCallerId,
} from './caller-id-decoder.js';
import type { CallerIdMessageError } from './caller-id-errors.js';
import { FSK_STANDARD_NAMES, type FskStandardName } from './fsk-standards.js';

export interface CallerIdAudioResult {
  messages: DecodedCallerId[];
  errors: { error: CallerIdMessageError; standard: FskStandardName; atSample: number }[];
}

/**
 * Every caller-ID message in a recording (8 kHz mono). With `auto`, both standards listen:
 * their tone pairs are close enough that each can often read the other's signal, so where both
 * decode the same stretch, the one whose mark tone matched better names the standard. An error
 * is kept only when no standard read that stretch cleanly.
 */
export function decodeCallerIdAudio(
  samples: Int16Array,
  standard: FskStandardName | 'auto' = 'auto',
  frameSamples = 160,
): CallerIdAudioResult {
  const names = standard === 'auto' ? FSK_STANDARD_NAMES : [standard];
  const events: CallerIdDecodeEvent[] = [];
  for (const name of names) {
    const decoder = new CallerIdDecoder({ standard: name });
    const sink = (e: CallerIdDecodeEvent) => events.push(e);
    // Line-sized frames, so a file exercises the same streaming path as the line.
    for (let at = 0; at < samples.length; at += frameSamples)
      decoder.process(samples.subarray(at, at + frameSamples), sink);
    decoder.flush(sink);
  }
  const messages: DecodedCallerId[] = [];
  for (const e of events) {
    if (e.kind !== 'message') continue;
    const rival = messages.findIndex((m) => overlaps(m, e.decoded));
    if (rival < 0) messages.push(e.decoded);
    else if (betterFit(e.decoded, messages[rival]!)) messages[rival] = e.decoded;
  }
  messages.sort((a, b) => a.startSample - b.startSample);
  const errors: CallerIdAudioResult['errors'] = [];
  for (const e of events) {
    if (e.kind !== 'error') continue;
    const read = messages.some(
      (m) => Math.abs(m.startSample - e.atSample) < m.endSample - m.startSample + 800,
    );
    // Both standards' decoders usually fail on the same damaged stretch: report it once.
    const known = errors.some((x) => Math.abs(x.atSample - e.atSample) < 800);
    if (!read && !known)
      errors.push({ error: e.error, standard: e.standard, atSample: e.atSample });
  }
  errors.sort((a, b) => a.atSample - b.atSample);
  return { messages, errors };
}

function overlaps(a: DecodedCallerId, b: DecodedCallerId): boolean {
  return a.startSample < b.endSample && b.startSample < a.endSample;
}

function betterFit(a: DecodedCallerId, b: DecodedCallerId): boolean {
  return a.toneFit !== b.toneFit ? a.toneFit > b.toneFit : a.quality > b.quality;
}
