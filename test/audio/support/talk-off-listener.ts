import { renderDtmf } from '../../../src/audio/dtmf-generator.js';
import { type DtmfEvent, DtmfReceiver } from '../../../src/audio/dtmf-receiver.js';
import { speechAt } from '../../../src/audio/test-signals/dtmf-spec-cases.js';
import {
  g711RoundTrip,
  mix,
  seededRandom,
  telephoneBand,
} from '../../../src/audio/test-signals/signals.js';

/**
 * Talk-off: speech must never produce a digit. Every piece is band-limited to 300-3400 Hz, set
 * to a random active level between -26 and -8 dBm0 (quiet to shouting) and passed through
 * G.711, as it would arrive over the line. A receiver that is not running would also report
 * nothing, so each run ends with real key presses that must be heard (positive control).
 */
export function listenForTalkOff(
  pieces: { label: string; samples: Int16Array }[],
  seed = 2024,
): { falses: string[]; control: string; seconds: number } {
  const rand = seededRandom(seed);
  const gap = new Int16Array(2400);
  const onTheLine = (samples: Int16Array, i: number): Int16Array => {
    const level = -26 + rand() * 18;
    const banded = telephoneBand(samples);
    return g711RoundTrip(
      mix(speechAt(mix(banded), level, banded.length)),
      i % 2 === 0 ? 'ulaw' : 'alaw',
    );
  };
  const rx = new DtmfReceiver();
  const falses: string[] = [];
  let seconds = 0;
  let current = '';
  const sink = (e: DtmfEvent) => {
    if (e.kind === 'press') falses.push(`${e.digit} at ${e.startMs} ms in ${current}`);
  };
  pieces.forEach((p, i) => {
    current = p.label;
    const audio = onTheLine(p.samples, i);
    seconds += audio.length / 8000;
    // Frames of 160 samples (20 ms), as the modem driver delivers them.
    for (let at = 0; at < audio.length; at += 160) rx.process(audio.subarray(at, at + 160), sink);
    rx.process(gap, sink);
  });
  let control = '';
  rx.process(renderDtmf('159#', { lowDbm0: -20, highDbm0: -18 }), (e) => {
    if (e.kind === 'press') control += e.digit;
  });
  rx.flush(() => {});
  return { falses, control, seconds };
}
