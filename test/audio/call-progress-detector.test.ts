import t from 'tap';
import {
  CallProgressDetector,
  type CallProgressEvent,
  matchesCadence,
} from '../../src/audio/call-progress-detector.js';
import { CALL_PROGRESS_PRESETS, COUNTRIES } from '../../src/audio/call-progress-presets.js';
import { findFsddDir, loadFsdd } from '../../src/audio/test-signals/fsdd.js';
import {
  concat,
  g711RoundTrip,
  mix,
  telephoneBand,
  whiteNoise,
} from '../../src/audio/test-signals/signals.js';
import { renderTone } from '../../src/audio/tone-generator.js';
import { REPO_ROOT } from './support/paths.js';

function detect(country: (typeof COUNTRIES)[number], audio: Int16Array): CallProgressEvent[] {
  const d = new CallProgressDetector(country);
  const events: CallProgressEvent[] = [];
  for (let at = 0; at < audio.length; at += 160)
    d.process(audio.subarray(at, at + 160), (e) => events.push(e));
  return events;
}

t.test('each country: dial, busy and reorder recognised, through noise and G.711', async (t) => {
  for (const country of COUNTRIES) {
    for (const def of CALL_PROGRESS_PRESETS[country]) {
      if (def.tone === 'ringback') continue;
      // Exchanges are within 1 % in frequency; send 0.8 % high, at -20 dBm0 with 20 dB SNR.
      const tone = renderTone(
        {
          components: def.frequencies.map((hz) => ({ hz: hz * 1.008, dbm0: -20 })),
          cadenceMs: def.cadenceMs,
          rampMs: 3,
        },
        8000,
      );
      const audio = g711RoundTrip(
        mix(concat(new Int16Array(4000), tone), whiteNoise(tone.length + 4000, 60, 5)),
      );
      const events = detect(country, audio);
      t.same(
        events.map((e) => e.tone),
        [def.tone],
        `${country} ${def.tone}`,
      );
      t.ok(events[0] && events[0].atMs - 500 < 4000, `${country} ${def.tone} found within 4 s`);
    }
  }
});

t.test('ringback is told apart from busy (US)', async (t) => {
  const ring = renderTone(
    {
      components: [
        { hz: 440, dbm0: -19 },
        { hz: 480, dbm0: -19 },
      ],
      cadenceMs: [2000, 4000],
    },
    14000,
  );
  t.same(
    detect('us', ring).map((e) => e.tone),
    ['ringback'],
  );
});

t.test('speech and DTMF-free silence give no call-progress events', async (t) => {
  const dir = findFsddDir(REPO_ROOT);
  if (!dir) {
    t.fail('shared/data/fsdd-dev not found');
    return;
  }
  const speech = concat(
    ...loadFsdd(dir, 60).map((c) => concat(telephoneBand(c.samples), new Int16Array(1600))),
  );
  for (const country of COUNTRIES) t.same(detect(country, g711RoundTrip(speech)), [], country);
});

t.test('cadence matching tolerates 20 % and rejects others', async (t) => {
  t.ok(matchesCadence([500, 500, 520, 480], [500, 500]));
  t.notOk(matchesCadence([250, 250, 250, 250], [500, 500]));
  t.ok(matchesCadence([225, 525, 400, 350], [400, 350, 225, 525]), 'starts mid-pattern');
});
