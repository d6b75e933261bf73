import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import t from 'tap';
import { Resampler } from '../../src/audio/resampler.js';
import { concat } from '../../src/audio/test-signals/signals.js';
import { buildWav } from '../../src/audio/wav.js';
import { buildMdmf } from '../../src/callerid/caller-id-message.js';
import { renderCallerIdFsk } from '../../src/callerid/fsk-modulator.js';
import {
  callerIdInWavFile,
  registerCallerIdCommand,
} from '../../src/cli/commands/callerid-command.js';

const dir = mkdtempSync(join(tmpdir(), 'linekeeper-callerid-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function wav(
  name: string,
  samples: Int16Array,
  rate = 8000,
  format: 'ulaw' | 's16le' = 's16le',
): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    buildWav([Resampler.convert(samples, 8000, rate)], { sampleRate: rate, format }),
  );
  return path;
}

async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    const program = new Command().exitOverride();
    registerCallerIdCommand(program);
    await program.parseAsync(['node', 'linekeeper', 'callerid', ...args]);
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join(''), err: err.join(''), code };
}

const message = buildMdmf({
  dateTime: { month: 3, day: 21, hour: 14, minute: 5 },
  number: '07700900123',
  name: 'SMITH J',
});
const line = concat(
  new Int16Array(4000),
  renderCallerIdFsk(message, { standard: 'v23' }),
  new Int16Array(4000),
);

t.test('prints the fields as one JSON object', async (t) => {
  const { out, err, code } = await run([wav('cid.wav', line)]);
  t.equal(code, 0, err);
  t.equal(out.trim().split('\n').length, 1, 'one line');
  t.match(JSON.parse(out), {
    standard: 'v23',
    format: 'mdmf',
    dateTime: { month: 3, day: 21, hour: 14, minute: 5 },
    number: '07700900123',
    name: 'SMITH J',
  });
});

t.test('any rate and mu-law files', async (t) => {
  for (const [rate, format] of [
    [44100, 's16le'],
    [8000, 'ulaw'],
  ] as const) {
    const fields = await callerIdInWavFile(wav(`cid-${rate}-${format}.wav`, line, rate, format));
    t.match(fields, { number: '07700900123' }, `${rate} Hz ${format}`);
  }
});

t.test('exit 2 with a clear message when nothing decodes', async (t) => {
  const silent = await run([wav('silence.wav', new Int16Array(16000))]);
  t.equal(silent.code, 2);
  t.equal(silent.out, '');
  t.match(
    silent.err,
    /CALLER_ID_NOT_FOUND: .*silence\.wav: no Bell 202 or V\.23 FSK caller-ID signal found/,
  );

  const damaged = message.slice();
  damaged[6] = damaged[6]! ^ 0x01;
  const bad = await run([
    wav(
      'bad.wav',
      concat(new Int16Array(800), renderCallerIdFsk(damaged, { standard: 'bell202' })),
    ),
  ]);
  t.equal(bad.code, 2);
  t.match(bad.err, /CALLER_ID_CHECKSUM/);

  const missing = await run([join(dir, 'missing.wav')]);
  t.equal(missing.code, 2);
  t.match(missing.err, /AUDIO_FILE_UNREADABLE/);

  const wrong = await run(['--standard', 'v21', wav('cid2.wav', line)]);
  t.equal(wrong.code, 2);
  t.match(wrong.err, /use bell202, v23 or auto/);

  const forced = await run(['--standard', 'v23', wav('cid3.wav', line)]);
  t.match(JSON.parse(forced.out), { standard: 'v23' });
});
