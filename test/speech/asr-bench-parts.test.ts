import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { labelsFromNames, readLabels } from '../../src/bench/asr-labels.js';
import { addNoise, g711RoundTrip } from '../../src/bench/line-impairments.js';
import { percentile, wordErrors } from '../../src/bench/word-error-rate.js';

t.test('word errors count substitutions, insertions and deletions', async (t) => {
  t.same(wordErrors('four one five', 'four one five'), { errors: 0, words: 3 });
  t.same(wordErrors('four one five', 'for one five'), { errors: 1, words: 3 });
  t.same(wordErrors('four one five', 'four five'), { errors: 1, words: 3 });
  t.same(wordErrors('four one five', 'four one one five six'), { errors: 2, words: 3 });
  t.same(wordErrors('yes', '[unk]'), { errors: 1, words: 1 }, '[unk] is no word');
});

t.test('percentiles by nearest rank', async (t) => {
  t.equal(percentile([], 0.5), null);
  t.equal(percentile([30, 10, 20], 0.5), 20);
  t.equal(
    percentile(
      Array.from({ length: 100 }, (_, i) => i + 1),
      0.95,
    ),
    95,
  );
});

t.test('line impairments: G.711 is lossy but close; noise lands at the asked SNR', async (t) => {
  const tone = Int16Array.from({ length: 8000 }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)),
  );
  for (const codec of ['ulaw', 'alaw'] as const) {
    const out = g711RoundTrip(tone, codec);
    let maxErr = 0;
    for (let i = 0; i < tone.length; i++) maxErr = Math.max(maxErr, Math.abs(out[i]! - tone[i]!));
    t.ok(maxErr > 0 && maxErr < 300, `${codec}: quantisation error ${maxErr}`);
  }
  const noisy = addNoise(tone, 10, 3);
  let sig = 0;
  let noise = 0;
  for (let i = 0; i < tone.length; i++) {
    sig += tone[i]! ** 2;
    noise += (noisy[i]! - tone[i]!) ** 2;
  }
  const snr = 10 * Math.log10(sig / noise);
  t.ok(Math.abs(snr - 10) < 0.5, `measured SNR ${snr.toFixed(2)} dB`);
  t.same(addNoise(tone, 10, 3), noisy, 'seeded: the same every run');
});

t.test(
  'labels: a TSV file, or digits from FSDD-style names; bad input is a typed error',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'linekeeper-labels-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, 'labels.tsv'),
      '# comment\na.wav\tmove my appointment\toption:appointments\nb.wav\tfour one five\n',
    );
    const labels = readLabels(dir, join(dir, 'labels.tsv'));
    t.same(
      labels.map((l) => [l.text, l.intent]),
      [
        ['move my appointment', 'option:appointments'],
        ['four one five', null],
      ],
    );
    writeFileSync(join(dir, 'broken.tsv'), 'only-a-file-name\n');
    t.throws(() => readLabels(dir, join(dir, 'broken.tsv')), { code: 'BENCH_LABELS_INVALID' });
    t.throws(() => readLabels(dir, join(dir, 'missing.tsv')), { code: 'BENCH_LABELS_INVALID' });
    for (const n of ['4_jackson_1.wav', '0_nicolas_2.wav', 'notes.wav'])
      writeFileSync(join(dir, n), '');
    t.same(
      labelsFromNames(dir).map((l) => [l.text, l.intent]),
      [
        ['zero', 'digits:0'],
        ['four', 'digits:4'],
      ],
    );
  },
);
