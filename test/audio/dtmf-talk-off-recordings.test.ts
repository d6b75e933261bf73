import t from 'tap';
import { renderDtmf } from '../../src/audio/dtmf-generator.js';
import { type DtmfEvent, DtmfReceiver } from '../../src/audio/dtmf-receiver.js';
import { speechAt } from '../../src/audio/test-signals/dtmf-spec-cases.js';
import { findFsddDir, loadFsdd } from '../../src/audio/test-signals/fsdd.js';
import {
  g711RoundTrip,
  mix,
  seededRandom,
  telephoneBand,
} from '../../src/audio/test-signals/signals.js';
import { REPO_ROOT } from './support/paths.js';

/**
 * Talk-off: speech must never produce a digit. Every piece is band-limited to 300-3400 Hz, set
 * to a random active level between -26 and -8 dBm0 (quiet to shouting) and passed through
 * G.711, as it would arrive over the line. A receiver that is not running would also report
 * nothing, so each run ends with real key presses that must be heard (positive control).
 */
const rand = seededRandom(2024);
const gap = new Int16Array(2400);

function onTheLine(samples: Int16Array, i: number): Int16Array {
  const level = -26 + rand() * 18;
  const banded = telephoneBand(samples);
  return g711RoundTrip(
    mix(speechAt(mix(banded), level, banded.length)),
    i % 2 === 0 ? 'ulaw' : 'alaw',
  );
}

function listen(pieces: { label: string; samples: Int16Array }[]): {
  falses: string[];
  control: string;
  seconds: number;
} {
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

t.test('no digit from the 1000 real spoken-digit recordings', async (t) => {
  const dir = findFsddDir(REPO_ROOT);
  if (!dir) {
    t.fail('shared/data/fsdd-dev not found beside the repository (set LINEKEEPER_FSDD_DIR)');
    return;
  }
  const pieces = loadFsdd(dir).map((p) => ({ label: p.name, samples: p.samples }));
  t.equal(pieces.length, 1000);
  const result = listen(pieces);
  t.same(result.falses, [], 'no false digits');
  t.equal(result.control, '159#');
});
