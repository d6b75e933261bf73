import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import t from 'tap';
import { renderDtmf } from '../../src/audio/dtmf-generator.js';
import { Resampler } from '../../src/audio/resampler.js';
import { concat } from '../../src/audio/test-signals/signals.js';
import { renderTone } from '../../src/audio/tone-generator.js';
import { buildWav } from '../../src/audio/wav.js';
import { digitsInWavFile, registerDtmfCommand } from '../../src/cli/commands/dtmf-command.js';
import { registerTonesCommand, tonesInWavFile } from '../../src/cli/commands/tones-command.js';
import { REPO_ROOT } from './support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'linekeeper-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const digits = concat(new Int16Array(1600), renderDtmf('0123456789*#ABCD'), new Int16Array(1600));

async function capture(
  run: () => Promise<unknown>,
): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await run();
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join(''), err: err.join(''), code };
}

t.test('dtmf: any rate, stereo, mu-law', async (t) => {
  for (const [rate, format, channels] of [
    [8000, 's16le', 1],
    [44100, 's16le', 2],
    [16000, 'ulaw', 1],
    [22050, 'alaw', 1],
  ] as const) {
    const audio = Resampler.convert(digits, 8000, rate);
    const path = join(dir, `d-${rate}.wav`);
    writeFileSync(
      path,
      buildWav(
        Array.from({ length: channels }, () => audio),
        { sampleRate: rate, format },
      ),
    );
    t.equal(await digitsInWavFile(path), '0123456789*#ABCD', `${rate} Hz ${format} x${channels}`);
  }
});

t.test('dtmf command prints one line; errors go to stderr with exit code 2', async (t) => {
  const path = join(dir, 'cmd.wav');
  writeFileSync(path, buildWav([digits], { sampleRate: 8000 }));
  const program = new Command().exitOverride();
  registerDtmfCommand(program);
  const ok = await capture(() => program.parseAsync(['node', 'linekeeper', 'dtmf', path]));
  t.same(ok, { out: '0123456789*#ABCD\n', err: '', code: 0 });
  const bad = join(dir, 'bad.wav');
  writeFileSync(bad, 'not a wav at all');
  const failed = await capture(() => program.parseAsync(['node', 'linekeeper', 'dtmf', bad]));
  t.equal(failed.out, '');
  t.equal(failed.code, 2);
  t.match(failed.err, /WAV_MALFORMED: .*bad\.wav: not a usable WAV file/);
  const missing = await capture(() =>
    program.parseAsync(['node', 'linekeeper', 'dtmf', join(dir, 'nope.wav')]),
  );
  t.equal(missing.code, 2);
  t.match(missing.err, /AUDIO_FILE_UNREADABLE/);
});

t.test('tones command prints JSON lines for the chosen country', async (t) => {
  const busy = renderTone({ components: [{ hz: 425, dbm0: -18 }], cadenceMs: [480, 480] }, 5000);
  const path = join(dir, 'busy.wav');
  writeFileSync(path, buildWav([Resampler.convert(busy, 8000, 16000)], { sampleRate: 16000 }));
  t.same(
    (await tonesInWavFile(path, 'de')).map((e) => e.tone),
    ['busy'],
  );
  const program = new Command().exitOverride();
  registerTonesCommand(program);
  const res = await capture(() =>
    program.parseAsync(['node', 'linekeeper', 'tones', path, '--country', 'DE']),
  );
  t.equal(res.code, 0);
  const lines = res.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.match(lines, [{ tone: 'busy', country: 'de' }]);
  const wrong = await capture(() =>
    program.parseAsync(['node', 'linekeeper', 'tones', path, '--country', 'xx']),
  );
  t.equal(wrong.code, 2);
  t.match(wrong.err, /unknown country 'xx'/);
});

// Passes once the lead wires registerDtmfCommand into src/cli/main.ts and `npm run build` ran.
const mainJs = join(REPO_ROOT, 'dist/cli/main.js');
t.test(
  'built CLI: node dist/cli/main.js dtmf FILE',
  { skip: existsSync(mainJs) ? false : 'dist/cli/main.js not built yet' },
  async (t) => {
    const path = join(dir, 'built.wav');
    writeFileSync(path, buildWav([digits], { sampleRate: 8000 }));
    const { stdout } = await promisify(execFile)(process.execPath, [mainJs, 'dtmf', path]);
    t.equal(stdout, '0123456789*#ABCD\n');
  },
);
