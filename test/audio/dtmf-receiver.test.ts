import t from 'tap';
import { DspConfigError } from '../../src/audio/audio-errors.js';
import { renderDtmf } from '../../src/audio/dtmf-generator.js';
import { type DtmfEvent, DtmfReceiver } from '../../src/audio/dtmf-receiver.js';
import {
  ALL_DIGITS,
  buildDtmfSpecCases,
  burstStartsMs,
} from '../../src/audio/test-signals/dtmf-spec-cases.js';
import { findFsddDir, loadFsdd } from '../../src/audio/test-signals/fsdd.js';
import { concat, telephoneBand } from '../../src/audio/test-signals/signals.js';
import { REPO_ROOT } from './support/paths.js';

function listen(audio: Int16Array, frame = 160): DtmfEvent[] {
  const rx = new DtmfReceiver();
  const events: DtmfEvent[] = [];
  for (let at = 0; at < audio.length; at += frame)
    rx.process(audio.subarray(at, at + frame), (e) => events.push(e));
  rx.flush((e) => events.push(e));
  return events;
}

const presses = (events: DtmfEvent[]) =>
  events
    .filter((e) => e.kind === 'press')
    .map((e) => e.digit)
    .join('');

const dir = findFsddDir(REPO_ROOT);
const speech = dir
  ? concat(...loadFsdd(dir, 12).map((c) => telephoneBand(c.samples)))
  : new Int16Array(0);

t.test('every specification row of issue 3', async (t) => {
  if (!dir) {
    t.fail('shared/data/fsdd-dev not found beside the repository (set LINEKEEPER_FSDD_DIR)');
    return;
  }
  for (const c of buildDtmfSpecCases(speech)) {
    t.equal(presses(listen(c.audio)), c.expected, `${c.id}: ${c.title}`);
  }
});

t.test('each key press reported once, with start time and duration', async (t) => {
  const events = listen(
    concat(
      new Int16Array(1600),
      renderDtmf(ALL_DIGITS, { toneMs: 80, pauseMs: 80 }),
      new Int16Array(1600),
    ),
  );
  const starts = burstStartsMs(16, 80, 80);
  const releases = events.filter((e) => e.kind === 'release');
  t.equal(releases.length, 16);
  releases.forEach((e, i) => {
    t.ok(
      Math.abs(e.startMs - starts[i]!) <= 5,
      `${e.digit} starts at ${e.startMs} ms, sent at ${starts[i]} ms`,
    );
    t.ok(Math.abs(e.durationMs - 80) <= 10, `${e.digit} lasts ${e.durationMs} ms, sent 80 ms`);
  });
  // Each press comes before its release and they agree on start time.
  for (let i = 0; i < events.length; i += 2) {
    t.equal(events[i]!.kind, 'press');
    t.equal(events[i + 1]!.kind, 'release');
    t.equal(events[i]!.startMs, events[i + 1]!.startMs);
  }
});

t.test('frame size does not change what is heard', async (t) => {
  const audio = concat(
    new Int16Array(800),
    renderDtmf('7#0D', { toneMs: 45, pauseMs: 45 }),
    new Int16Array(800),
  );
  const reference = JSON.stringify(listen(audio, 160));
  for (const frame of [1, 7, 40, 41, 333, 8000])
    t.equal(JSON.stringify(listen(audio, frame)), reference, `frames of ${frame}`);
});

t.test('a 10 ms dropout inside a held key does not make two presses', async (t) => {
  const tone = renderDtmf('8', { toneMs: 200, pauseMs: 0 });
  tone.fill(0, 800, 880);
  t.equal(presses(listen(concat(new Int16Array(800), tone, new Int16Array(800)))), '8');
});

t.test('reset starts a fresh stream; bad options are rejected', async (t) => {
  const rx = new DtmfReceiver();
  const got: DtmfEvent[] = [];
  rx.process(renderDtmf('1', { toneMs: 100, pauseMs: 0 }).subarray(0, 600), (e) => got.push(e));
  rx.reset();
  rx.process(concat(renderDtmf('2', { toneMs: 100, pauseMs: 100 })), (e) => got.push(e));
  t.same(
    got.map((e) => `${e.kind}:${e.digit}`),
    ['press:1', 'press:2', 'release:2'],
  );
  t.throws(() => new DtmfReceiver({ maxDeviation: 0.2 }), DspConfigError);
  t.throws(() => new DtmfReceiver({ minDurationMs: 2 }), DspConfigError);
});
