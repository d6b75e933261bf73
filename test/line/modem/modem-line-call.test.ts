import { join } from 'node:path';
import t from 'tap';
import { incomingCall, relativeError, tonePrompt } from './helpers/calls.js';
import { delay, eventually, ModemRig, type ModemRig as Rig } from './helpers/modem-rig.js';

const profiles = [
  ['conexant', 'conexant', 'duplex'],
  ['usr-5637', 'usr-5637', 'receive'],
  ['generic', 'generic-ulaw', 'receive'],
] as const;

async function started(
  t: { teardown(fn: () => unknown): void },
  modem: (typeof profiles)[number][0],
  options = {},
): Promise<Rig> {
  const rig = new ModemRig(modem, options);
  t.teardown(() => rig.stop());
  await rig.start();
  return rig;
}

for (const [modem, profile, listening] of profiles) {
  t.test(
    `${modem}: scripted call from a known number, greeting, key during prompt, hang up`,
    async (t) => {
      const rig = await started(t, modem);
      t.equal(rig.line.profileName(), profile, 'profile chosen by ATI identification');
      const rings = await incomingCall(
        rig,
        { date: '0321', time: '1405', number: '5551234567', name: 'JOHN DOE' },
        5,
      );
      await eventually('connected', () => rig.line.state() === 'connected');
      t.equal(rings, 2, 'answered on the configured (default second) ring');
      t.same(rig.events('ring'), [{ count: 1 }, { count: 2 }]);
      const [callerId] = rig.events('callerId');
      t.match(callerId, { number: '5551234567' });
      if (modem !== 'generic') t.match(callerId, { name: 'JOHN DOE' });
      const order = rig.recorded.map((r) => r.event);
      t.ok(
        order.indexOf('callerId') < order.lastIndexOf('state'),
        'caller ID known before the call is connected',
      );
      await eventually('voice stream', () => rig.emulator.stream === listening);

      const greeting = tonePrompt('greeting', 1200);
      const controller = new AbortController();
      rig.line.events.on('dtmf', () => controller.abort());
      const playing = rig.line.play(greeting, controller.signal);
      await eventually(
        'playing',
        () => rig.emulator.stream === (listening === 'duplex' ? 'duplex' : 'transmit'),
      );
      await delay(300);
      await rig.emulator.pressKey('5', 60);
      t.equal(await playing, 'interrupted', 'key press during the prompt cut it short');
      t.same(
        rig.events('dtmf').map((d) => d.digit),
        ['5'],
      );
      const heard = rig.emulator.receivedAudio();
      t.ok(
        heard.length > 2400 && heard.length < greeting.audio!.samples.length,
        `caller heard ${heard.length} samples`,
      );
      t.ok(
        relativeError(greeting.audio!.samples, heard) < 0.05,
        'greeting arrived intact through the DLE codec',
      );
      await eventually('listening again', () => rig.emulator.stream === listening);

      rig.emulator.clearReceivedAudio();
      t.equal(await rig.line.play(tonePrompt('menu', 300)), 'completed');
      // Duplex streams have no end-of-play handshake: allow the pty a moment to deliver.
      await eventually(
        'whole prompt heard',
        () => rig.emulator.receivedAudio().length >= 2400,
        2000,
      );
      t.equal(rig.emulator.receivedAudio().length, 2400, 'a whole prompt is played in full');

      await rig.line.hangup();
      t.equal(rig.emulator.offHook, false, 'line back on hook');
      t.same(rig.events('hangup'), [{ cause: 'local' }]);
      t.equal(rig.line.state(), 'idle');
      await rig.line.hangup();
      t.same(rig.events('hangup'), [{ cause: 'local' }], 'hangup when idle is a no-op');
      t.equal(await rig.line.play(tonePrompt('late', 100)), 'hangup', 'play after the call ended');
    },
  );
}

t.test('answer ring is configurable; caller ID arrives between ring 1 and 2', async (t) => {
  const rig = await started(t, 'conexant', { answerOnRing: 4 });
  const rings = await incomingCall(rig, { number: '0123456789' }, 6);
  await eventually('connected', () => rig.line.state() === 'connected');
  t.equal(rings, 4);
  t.same(
    rig.events('callerId').map((c) => c.number),
    ['0123456789'],
  );
  t.equal(rig.events('callerId').length, 1, 'emitted once');
  await rig.line.hangup();
});

t.test('answerOnRing 0 leaves answering to the call session', async (t) => {
  const rig = await started(t, 'usr-5637', { answerOnRing: 0 });
  await incomingCall(rig, { withheld: 'P' }, 3);
  t.equal(rig.line.state(), 'ringing');
  t.match(rig.events('callerId'), [{ withheld: 'private' }]);
  await Promise.all([rig.line.answer(), rig.line.answer()]);
  t.equal(rig.line.state(), 'connected', 'answer() twice is one answer');
  await rig.line.hangup();
});

t.test('caller-ID variants through the real port', async (t) => {
  const rig = await started(t, 'usr-5637', { answerOnRing: 0, ringGapMs: 400 });
  const variants = [
    [{ number: '5550100' }, { number: '5550100' }],
    [{ withheld: 'O' as const, name: 'O' }, { withheld: 'unavailable' }],
    [{ date: '0101', time: '0000', withheld: 'P' as const }, { withheld: 'private' }],
  ] as const;
  for (const [sent, expected] of variants) {
    const before = rig.events('callerId').length;
    await incomingCall(rig, sent, 2);
    const got = await eventually('caller id', () => rig.events('callerId')[before]);
    t.match(got, expected);
    t.notOk('name' in got && got.name === 'O', 'O as a name means absent, not a name');
    await eventually('rings stop -> idle', () => rig.line.state() === 'idle', 3000);
  }
  t.same(
    rig.recorded.filter(
      (r) => r.event === 'state' && r.payload.detail === 'rings stopped before answer',
    ).length,
    3,
    'a call that stops ringing goes back to idle',
  );
});

t.test('caller audio from a WAV file reaches the call as 16-bit frames', async (t) => {
  const rig = await started(t, 'generic');
  await incomingCall(rig, { number: '1' }, 3);
  await eventually('receiving', () => rig.emulator.stream === 'receive');
  const frames: Int16Array[] = [];
  rig.line.events.on('audio', (f) => frames.push(f.samples));
  const wav = join(import.meta.dirname, '../../../../shared/data/fsdd-dev/3_jackson_0.wav');
  const samples = await rig.emulator.playCallerWav(wav);
  await delay((samples.length / 8000) * 1000 + 400);
  const all = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    all.set(f, at);
    at += f.length;
  }
  // Find the recording in the stream (silence precedes it) and compare after G.711.
  let start = 0;
  while (start < all.length && Math.abs(all[start]!) < 64) start++;
  const firstLoud = samples.findIndex((s) => Math.abs(s) >= 64);
  const aligned = all.subarray(start - firstLoud, start - firstLoud + samples.length);
  t.ok(relativeError(samples, aligned) < 0.1, 'G.711 round trip keeps the speech');
  await rig.line.hangup();
});

t.test('hook-flash transfer: flash, dial, extension busy -> back to the caller', async (t) => {
  const rig = await started(t, 'usr-5637');
  await incomingCall(rig, { number: '5' }, 3);
  await eventually('receiving', () => rig.emulator.stream === 'receive');
  const flashes: number[] = [];
  const dialled: string[] = [];
  rig.emulator.events.on('flash', () => flashes.push(Date.now()));
  rig.emulator.events.on('dialled', ({ digits }) => {
    dialled.push(digits);
    setTimeout(() => rig.emulator.farEndHangup('busy'), 100);
  });
  const busy = await rig.line.transfer({
    target: 'reception',
    method: 'hook-flash',
    extension: '21',
    answerTimeoutMs: 3000,
  });
  t.equal(busy, 'busy');
  t.equal(flashes.length, 2, 'flash to transfer, flash back to the caller');
  t.same(dialled, ['21']);
  t.equal(rig.line.state(), 'connected');
  await eventually('receiving again', () => rig.emulator.stream === 'receive');

  rig.emulator.events.removeAllListeners();
  rig.emulator.events.on('dialled', ({ digits }) => dialled.push(digits));
  const connected = await rig.line.transfer({
    target: 'reception',
    method: 'hook-flash',
    extension: '22',
    answerTimeoutMs: 500,
  });
  t.equal(connected, 'connected', 'no busy in the window: blind transfer completes');
  t.same(dialled, ['21', '22']);
  t.equal(rig.emulator.offHook, false);
  t.equal(rig.line.state(), 'idle');
  t.same(rig.events('hangup'), [{ cause: 'local' }]);
  t.equal(
    await rig.line.transfer({ target: 'x', method: 'relay', answerTimeoutMs: 1 }),
    'failed',
    'no call: nothing to transfer',
  );
});
