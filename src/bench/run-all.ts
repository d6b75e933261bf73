import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: every benchmark in turn, each in its own process so one's memory does not
 * colour another's figures. The speech benchmark needs a model (LINEKEEPER_VOSK_MODEL).
 */
const here = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
const benches: { name: string; file: string; args: string[]; when?: () => string | null }[] = [
  { name: 'call path', file: here('call-bench.js'), args: [] },
  { name: 'DSP', file: here('dsp-bench.js'), args: [] },
  {
    name: 'speech (Vosk)',
    file: here('asr-bench.js'),
    args: [
      '--model',
      process.env.LINEKEEPER_VOSK_MODEL ?? '',
      '--set',
      process.env.LINEKEEPER_FSDD_DIR ?? '../shared/data/fsdd-dev',
      '--labels-from-names',
      '--codec',
      'ulaw',
    ],
    when: () =>
      process.env.LINEKEEPER_VOSK_MODEL
        ? null
        : 'skipped: set LINEKEEPER_VOSK_MODEL to a Vosk model folder',
  },
];

let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench.name} ===`);
  const skip =
    bench.when?.() ?? (existsSync(bench.file) ? null : `skipped: ${bench.file} not built`);
  if (skip) {
    console.log(skip);
    continue;
  }
  const result = spawnSync(process.execPath, ['--expose-gc', bench.file, ...bench.args], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
