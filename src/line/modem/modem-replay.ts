import type { Clock } from '../../shared/timer-clock.js';
import { AtParser } from './at-parser.js';
import { CallerIdAssembler, parseCallerIdLine } from './caller-id.js';
import { DtmfTracker } from './dtmf-tracker.js';
import { MODEM_PROFILES, type ProfileName } from './modem-profiles.js';
import { finalResultOf } from './result-codes.js';
import { voiceEventOf } from './voice-events.js';

/** One thing the driver understood from captured bytes, printed as a JSON line. */
export type ReplayEvent =
  | { type: 'ring'; offset: number }
  | { type: 'caller-id'; offset: number; number?: string; name?: string; withheld?: string }
  | { type: 'caller-id-invalid'; offset: number; reason: string }
  | { type: 'dtmf'; offset: number; digit: string }
  | { type: 'far-end-gone'; offset: number; reason: string }
  | { type: 'handset'; offset: number; code: string }
  | { type: 'result'; offset: number; text: string }
  | { type: 'voice-data'; offset: number; bytes: number }
  | { type: 'end-of-data'; offset: number }
  | { type: 'event'; offset: number; code: string; kind: string }
  | { type: 'text'; offset: number; text: string };

/** Timing is not in a raw capture, so start/stop DTMF is grouped by order alone. */
const frozenClock: Clock = { now: () => 0, setTimeout: () => undefined, clearTimeout: () => {} };

/** Caller numbers are personal data: show only the last two digits unless asked. */
export function maskNumber(number: string): string {
  return number.length <= 2 ? '**' : `${'*'.repeat(number.length - 2)}${number.slice(-2)}`;
}

/**
 * Runs bytes captured from a modem through the driver's own parsers. The parser switches to
 * voice data at every CONNECT, as it would after AT+VRX/AT+VTR; `offset` is the byte position
 * of the chunk end (the parser works on whole chunks), which is enough to find it in a hex dump.
 */
export function replayCapture(
  capture: Uint8Array,
  options: { profile: ProfileName; showNumbers?: boolean; chunkSize?: number },
): ReplayEvent[] {
  const profile = MODEM_PROFILES[options.profile];
  const parser = new AtParser({ voiceDataAfterEveryConnect: true });
  const events: ReplayEvent[] = [];
  const callerId = new CallerIdAssembler();
  let offset = 0;
  let audioBytes = 0;
  let audioStart = 0;
  const flushAudio = () => {
    if (audioBytes > 0) events.push({ type: 'voice-data', offset: audioStart, bytes: audioBytes });
    audioBytes = 0;
  };
  const flushCallerId = () => {
    const cid = callerId.take(new Date(0));
    if (!cid) return;
    const event: ReplayEvent = { type: 'caller-id', offset };
    if (cid.number) event.number = options.showNumbers ? cid.number : maskNumber(cid.number);
    if (cid.name) event.name = cid.name;
    if (cid.withheld) event.withheld = cid.withheld;
    events.push(event);
  };
  const dtmf = new DtmfTracker(frozenClock, 0, (press) =>
    events.push({ type: 'dtmf', offset, digit: press.digit }),
  );
  const chunkSize = options.chunkSize ?? 256;
  for (let start = 0; start < capture.length; start += chunkSize) {
    const chunk = capture.subarray(start, start + chunkSize);
    offset = start + chunk.length;
    for (const token of parser.parse(chunk)) {
      if (token.kind === 'audio') {
        if (audioBytes === 0) audioStart = start;
        audioBytes += token.bytes.length;
        continue;
      }
      flushAudio();
      if (token.kind === 'end-of-data') {
        dtmf.flush();
        events.push({ type: 'end-of-data', offset });
      } else if (token.kind === 'event') {
        const event = voiceEventOf(token.code, profile.handsetCodes);
        if (event.kind === 'dtmf') dtmf.digit(event.digit);
        else if (event.kind === 'dtmf-start') dtmf.start();
        else if (event.kind === 'dtmf-end') dtmf.end();
        else if (event.kind === 'far-end-gone')
          events.push({ type: 'far-end-gone', offset, reason: event.reason });
        else if (event.kind === 'handset')
          events.push({ type: 'handset', offset, code: event.code });
        else if (event.kind === 'ring') events.push({ type: 'ring', offset });
        else events.push({ type: 'event', offset, code: token.code, kind: event.kind });
      } else {
        const text = token.text;
        const parsed = parseCallerIdLine(text);
        if (text === 'RING') {
          flushCallerId();
          events.push({ type: 'ring', offset });
        } else if (parsed.kind === 'field') {
          callerId.add(parsed.fields);
        } else if (parsed.kind === 'invalid') {
          events.push({ type: 'caller-id-invalid', offset, reason: parsed.reason });
        } else if (finalResultOf(text, false) !== undefined) {
          flushCallerId();
          events.push({ type: 'result', offset, text });
        } else {
          events.push({ type: 'text', offset, text });
        }
      }
    }
  }
  flushAudio();
  dtmf.flush();
  flushCallerId();
  return events;
}
