import t from 'tap';
import { pumpAudio } from '../../../src/line/modem/audio-pump.js';
import { ManualClock } from './helpers/manual-clock.js';

t.test('audio is written at real-time pace, never more than the lead ahead', async (t) => {
  const clock = new ManualClock();
  const writes: { at: number; total: number }[] = [];
  let total = 0;
  const audio = new Uint8Array(8000); // one second at 8 kHz, 8-bit
  let outcome: string | undefined;
  void pumpAudio(audio, {
    clock,
    bytesPerMs: 8,
    leadMs: 200,
    chunkMs: 20,
    write: async (chunk) => {
      total += chunk.length;
      writes.push({ at: clock.now(), total });
    },
    stopped: () => false,
  }).then((o) => {
    outcome = o;
  });
  for (let ms = 0; ms < 1100; ms += 10) await clock.advance(10);
  t.equal(total, 8000, 'every byte written');
  for (const w of writes) t.ok(w.total <= (w.at + 200) * 8 + 160, `at ${w.at} ms wrote ${w.total}`);
  t.equal(
    Math.max(...writes.filter((w) => w.at === 0).map((w) => w.total)),
    1600,
    'the lead is filled at once',
  );
  t.equal(outcome, 'completed');
});

t.test('resolves completed only when the sound has been played', async (t) => {
  const clock = new ManualClock();
  let outcome: string | undefined;
  void pumpAudio(new Uint8Array(800), {
    clock,
    bytesPerMs: 8,
    leadMs: 200,
    chunkMs: 20,
    write: async () => {},
    stopped: () => false,
  }).then((o) => {
    outcome = o;
  });
  await clock.advance(90);
  t.equal(outcome, undefined, 'all 100 ms are written at once but not heard yet');
  await clock.advance(20);
  t.equal(outcome, 'completed');
});

t.test('stops within one chunk when asked', async (t) => {
  const clock = new ManualClock();
  let stop = false;
  let total = 0;
  let outcome: string | undefined;
  void pumpAudio(new Uint8Array(80000), {
    clock,
    bytesPerMs: 8,
    leadMs: 200,
    chunkMs: 20,
    write: async (chunk) => {
      total += chunk.length;
    },
    stopped: () => stop,
  }).then((o) => {
    outcome = o;
  });
  await clock.advance(500);
  stop = true;
  const at = total;
  await clock.advance(40);
  t.equal(outcome, 'stopped');
  t.ok(total - at <= 160, 'at most one more chunk after stop');
});
