import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { renderDtmf } from '../../../src/audio/dtmf-generator.js';
import { DtmfReceiver } from '../../../src/audio/dtmf-receiver.js';
import { concat } from '../../../src/audio/test-signals/signals.js';
import { buildSdmf } from '../../../src/callerid/caller-id-message.js';
import { decodeCallerIdAudio } from '../../../src/callerid/decode-caller-id-audio.js';
import { renderCallerIdFsk } from '../../../src/callerid/fsk-modulator.js';
import { AplayAudioSink } from '../../../src/line/soundcard/aplay-audio-sink.js';
import { ArecordAudioSource } from '../../../src/line/soundcard/arecord-audio-source.js';

function has(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`]);
    return true;
  } catch {
    return false;
  }
}

const ALSA_CONF = '/usr/share/alsa/alsa.conf';
const dir = mkdtempSync(join(tmpdir(), 'linekeeper-alsa-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

// ALSA's file plugin over the null device: capture reads a raw file, playback writes one. Real
// arecord and aplay, real ALSA, no sound card needed.
const inRaw = join(dir, 'line-in.raw');
const outRaw = join(dir, 'line-out.raw');
const conf = join(dir, 'asound.conf');
writeFileSync(
  conf,
  `<${ALSA_CONF}>
pcm.lkcapture { type file slave.pcm "null" file "${join(dir, 'tee.raw')}" infile "${inRaw}" format "raw" }
pcm.lkplay { type file slave.pcm "null" file "${outRaw}" format "raw" }
`,
);

const skip =
  !has('arecord') || !has('aplay')
    ? 'arecord/aplay not installed (apt-get install alsa-utils)'
    : false;

t.test(
  'arecord capture (node-record-lpcm16) through ALSA delivers line audio: caller ID decodes',
  { skip },
  async (t) => {
    const fsk = renderCallerIdFsk(
      buildSdmf({ dateTime: { month: 6, day: 1, hour: 8, minute: 0 }, number: '5550199' }),
      {
        standard: 'bell202',
      },
    );
    const audio = concat(new Int16Array(800), fsk, new Int16Array(4000));
    writeFileSync(inRaw, Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength));
    process.env.ALSA_CONFIG_PATH = conf;
    t.teardown(() => {
      delete process.env.ALSA_CONFIG_PATH;
    });
    const source = new ArecordAudioSource({ device: 'lkcapture' });
    const frames: Int16Array[] = [];
    source.events.on('frame', (f) => frames.push(f));
    await source.start();
    const deadline = Date.now() + 10000;
    while (frames.reduce((n, f) => n + f.length, 0) < audio.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await source.stop();
    const captured = concat(...frames);
    t.ok(captured.length >= audio.length, `captured ${captured.length} samples`);
    const { messages } = decodeCallerIdAudio(captured);
    t.match(messages[0]?.message, { number: '5550199' });
  },
);

t.test('aplay playback through ALSA plays what the line wrote', { skip }, async (t) => {
  const sink = new AplayAudioSink({
    device: 'lkplay',
    env: { ...process.env, ALSA_CONFIG_PATH: conf },
  });
  await sink.start();
  const tones = renderDtmf('2468');
  for (let at = 0; at < tones.length; at += 160) sink.write(tones.subarray(at, at + 160));
  sink.write(new Int16Array(1600));
  await sink.stop();
  const bytes = readFileSync(outRaw);
  const played = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  let digits = '';
  const rx = new DtmfReceiver();
  rx.process(played, (e) => {
    if (e.kind === 'press') digits += e.digit;
  });
  t.equal(digits, '2468');
});

t.test('missing programs are typed errors, not a crashed process', async (t) => {
  const sink = new AplayAudioSink({ device: 'default', program: 'aplay-not-installed' });
  await t.rejects(sink.start(), { code: 'SOUNDCARD_PLAYBACK_FAILED', message: /alsa-utils/ });
  const path = process.env.PATH;
  process.env.PATH = join(dir, 'empty-path');
  t.teardown(() => {
    process.env.PATH = path;
  });
  const source = new ArecordAudioSource({ device: 'default' });
  await t.rejects(source.start(), {
    code: 'SOUNDCARD_CAPTURE_FAILED',
    message: /arecord not found/,
  });
  process.env.PATH = path;
  await new Promise((r) => setTimeout(r, 100));
  t.pass('still running after the failed spawn');
});

t.test(
  'a capture device that does not exist fails start with the device named',
  { skip },
  async (t) => {
    const source = new ArecordAudioSource({ device: 'no-such-card', startTimeoutMs: 3000 });
    await t.rejects(source.start(), { code: 'SOUNDCARD_CAPTURE_FAILED', message: /no-such-card/ });
  },
);
