import t, { type Test } from 'tap';
import { renderDtmf } from '../../../src/audio/dtmf-generator.js';
import { DtmfReceiver } from '../../../src/audio/dtmf-receiver.js';
import { renderTone } from '../../../src/audio/tone-generator.js';
import type { Prompt } from '../../../src/line/line-port.js';
import { callerIdAudio, promptSamples, SoundcardRig } from './helpers/soundcard-rig.js';

function prompt(id: string, ms: number, interruptible = true): Prompt {
  return {
    id,
    text: id,
    audio: { samples: promptSamples(ms), sampleRate: 8000, timestampMs: 0 },
    interruptible,
  };
}

function digitsIn(samples: Int16Array): string {
  const rx = new DtmfReceiver();
  let digits = '';
  rx.process(samples, (e) => {
    if (e.kind === 'press') digits += e.digit;
  });
  rx.flush((e) => {
    if (e.kind === 'press') digits += e.digit;
  });
  return digits;
}

/** Index of `needle` inside `hay` (exact samples), or -1. */
function indexOfSamples(hay: Int16Array, needle: Int16Array, length = needle.length): number {
  outer: for (let i = 0; i + length <= hay.length; i++) {
    for (let j = 0; j < length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const US_BUSY = {
  components: [
    { hz: 480, dbm0: -24 },
    { hz: 620, dbm0: -24 },
  ],
  cadenceMs: [500, 500],
};

async function ringAndAnswer(t: Test, rig: SoundcardRig, withCallerId: boolean) {
  rig.ringInput.cadence([2000, 4000], 2);
  if (withCallerId) {
    rig.sendAt(
      2500,
      callerIdAudio(
        {
          dateTime: { month: 3, day: 21, hour: 14, minute: 5 },
          number: '5551234567',
          name: 'JOHN DOE',
        },
        'bell202',
      ),
    );
  }
  t.ok(await rig.until(() => rig.events('ring').length === 2, 10000), 'two rings');
  await rig.run(rig.line.answer());
  // The exchange stops ringing once the line is off hook.
  await rig.ringInput.stop();
}

t.test(
  'US call: caller ID between rings, answer, prompt with barge-in, key, hook-flash transfer',
  async (t) => {
    const rig = new SoundcardRig({ echoLossDb: 20 });
    t.teardown(() => rig.stop());
    await rig.start();
    t.equal(rig.line.state(), 'idle');
    t.equal(rig.relays.get('hook'), false, 'on hook at start');

    await ringAndAnswer(t, rig, true);
    t.same(
      rig.events('ring'),
      [{ count: 1 }, { count: 2 }],
      'one ring event per 2 s burst of 20 Hz pulses',
    );
    const [callerId] = rig.events('callerId');
    t.match(
      callerId,
      { number: '5551234567', name: 'JOHN DOE' },
      'Bell 202 MDMF caller ID decoded',
    );
    const order = rig.recorded.map((r) =>
      r.event === 'ring' ? `ring${r.payload.count}` : r.event,
    );
    t.ok(
      order.indexOf('ring1') < order.indexOf('callerId') &&
        order.indexOf('callerId') < order.indexOf('ring2'),
      `caller ID arrived between ring 1 and ring 2 (${order.filter((e) => e !== 'state').join(' ')})`,
    );
    t.equal(rig.line.state(), 'connected');
    t.equal(rig.relays.get('hook'), true, 'hook relay energised: off hook');

    // Barge-in: a key pressed 800 ms into a 3 s interruptible greeting.
    const greeting = prompt('greeting', 3000);
    const playStartedAt = rig.clock.now();
    rig.sendAt(800, renderDtmf('5', { toneMs: 80, pauseMs: 40 }));
    const keySentAt = playStartedAt + 800;
    const outcome = await rig.run(rig.line.play(greeting));
    t.equal(outcome, 'interrupted', 'key press cut the greeting short');
    t.same(
      rig.events('dtmf').map((d) => d.digit),
      ['5'],
    );
    const keyEvent = rig.recorded.find((r) => r.event === 'dtmf')!;
    const keyStartMs = rig.events('dtmf')[0]!.atMs;
    const played = rig.sink.played();
    const start = indexOfSamples(played, greeting.audio!.samples, 400);
    t.ok(start >= 0, 'greeting found in what was played');
    let n = 0;
    while (start + n < played.length && played[start + n] === greeting.audio!.samples[n]) n++;
    const promptMsWritten = n / 8;
    const lead = 80;
    t.ok(
      promptMsWritten <= keyEvent.atMs - playStartedAt + lead + 20,
      `after the key was detected no more than one frame of greeting was written (greeting ${promptMsWritten} ms, key detected ${keyEvent.atMs - playStartedAt} ms in, lead ${lead} ms)`,
    );
    t.ok(
      played.subarray(start + n, start + n + 800).every((v) => v === 0),
      'silence after the cut',
    );
    // Both streams count from the answer: capture by samples received, playback by samples written.
    const stopMs = (start + n) / 8;
    t.comment(
      `barge-in: greeting audio ends ${stopMs - keyStartMs} ms after the key tone began ` +
        `(DTMF detection + at most one ${20} ms frame + ${lead} ms play lead); key event ${keyEvent.atMs - keySentAt} ms after the key audio was queued`,
    );
    t.ok(
      stopMs - keyStartMs <= 40 + 20 + lead + 20,
      'greeting stops within detection + one frame + lead',
    );

    // A prompt played to the end arrives intact.
    const menu = prompt('menu', 600, false);
    t.equal(await rig.run(rig.line.play(menu)), 'completed');
    const all = rig.sink.played();
    t.ok(
      indexOfSamples(all, menu.audio!.samples) >= 0,
      'the whole menu prompt was played, sample-exact',
    );

    // A key between prompts.
    rig.sendAt(0, renderDtmf('7'));
    t.ok(await rig.until(() => rig.events('dtmf').length === 2, 1000));
    t.same(
      rig.events('dtmf').map((d) => d.digit),
      ['5', '7'],
    );

    // Hook-flash transfer to extension 214; nobody busy, so the blind transfer completes.
    const historyBefore = rig.relays.history.length;
    const playedBefore = rig.sink.played().length;
    const transferAt = rig.clock.now();
    const result = await rig.run(
      rig.line.transfer({
        target: 'reception',
        method: 'hook-flash',
        extension: '214',
        answerTimeoutMs: 20000,
      }),
    );
    t.equal(result, 'connected');
    const hook = rig.relays.history.slice(historyBefore).filter((h) => h.role === 'hook');
    t.same(
      hook.map((h) => h.energised),
      [false, true, false],
      'flash (release, re-seize), then on hook',
    );
    t.equal(hook[1]!.atMs - hook[0]!.atMs, 500, 'US hook flash is 500 ms on hook');
    t.ok(hook[0]!.atMs - transferAt < 20, 'flash starts at once');
    const dialled = rig.sink.played(0).subarray(playedBefore);
    t.equal(digitsIn(dialled), '214', 'the DSP receiver hears 214 in what the line played');
    t.same(
      rig.events('dtmf').map((d) => d.digit),
      ['5', '7'],
      'our own dialling echoed back is not a caller key',
    );
    t.same(rig.events('hangup'), [{ cause: 'local' }]);
    t.equal(rig.line.state(), 'idle');
    t.equal(rig.sink.open, false, 'playback closed');
  },
);

t.test(
  'transfer to a busy extension flashes back; far end then hangs up (busy tone)',
  async (t) => {
    const rig = new SoundcardRig();
    t.teardown(() => rig.stop());
    await rig.start();
    await ringAndAnswer(t, rig, false);
    t.same(rig.events('callerId'), [], 'no caller ID sent, none reported');
    const historyBefore = rig.relays.history.length;
    // Busy from the extension once dialling is over (flash 500 + settle 800 + 2 digits 400 ms).
    rig.sendAt(1800, renderTone(US_BUSY, 5000));
    const result = await rig.run(
      rig.line.transfer({
        target: 'nurse',
        method: 'hook-flash',
        extension: '22',
        answerTimeoutMs: 30000,
      }),
    );
    t.equal(result, 'busy');
    t.equal(rig.line.state(), 'connected', 'back with the caller');
    const hook = rig.relays.history.slice(historyBefore).filter((h) => h.role === 'hook');
    t.same(
      hook.map((h) => h.energised),
      [false, true, false, true],
      'flash to dial, flash back',
    );
    t.same(rig.events('hangup'), []);

    await rig.until(() => rig.source.queued === 0, 10000);
    await rig.clock.advance(6000);
    t.same(rig.events('hangup'), [], 'quiet line is not a hang-up by itself within a minute');
    const busyAt = rig.clock.now();
    rig.sendAt(0, renderTone(US_BUSY, 6000));
    t.ok(await rig.until(() => rig.events('hangup').length === 1, 8000), 'busy tone ends the call');
    t.same(rig.events('hangup'), [{ cause: 'remote' }]);
    const latency = rig.recorded.find((r) => r.event === 'hangup')!.atMs - busyAt;
    t.comment(`far-end hang-up by US busy tone detected ${latency} ms after the tone began`);
    t.equal(rig.relays.get('hook'), false, 'back on hook');
    t.equal(rig.line.state(), 'idle');
  },
);

t.test('a long silence ends the call when configured', async (t) => {
  const rig = new SoundcardRig({ options: { silenceHangupMs: 3000 } });
  t.teardown(() => rig.stop());
  await rig.start();
  await ringAndAnswer(t, rig, false);
  const at = rig.clock.now();
  t.ok(await rig.until(() => rig.events('hangup').length === 1, 5000));
  t.same(rig.events('hangup'), [{ cause: 'remote' }]);
  const after = rig.recorded.find((r) => r.event === 'hangup')!.atMs - at;
  t.ok(after >= 2980 && after <= 3100, `hung up ${after} ms into the silence (limit 3000 ms)`);
});

t.test('capture failure drops the call as a line fault and capture restarts', async (t) => {
  const rig = new SoundcardRig();
  t.teardown(() => rig.stop());
  await rig.start();
  await ringAndAnswer(t, rig, false);
  rig.source.fail('USB sound card unplugged');
  await rig.clock.advance(0);
  t.same(rig.events('hangup'), [{ cause: 'line-fault' }]);
  t.equal(rig.line.state(), 'down');
  t.equal(rig.relays.get('hook'), false, 'released the line');
  await rig.clock.advance(1100);
  t.equal(rig.line.state(), 'idle', 'capture restarted after the backoff');
});

t.test('answer, play and transfer outside a call fail cleanly', async (t) => {
  const rig = new SoundcardRig();
  t.teardown(() => rig.stop());
  await rig.start();
  t.equal(await rig.line.play(prompt('x', 100)), 'hangup');
  t.equal(
    await rig.line.transfer({
      target: 'x',
      method: 'hook-flash',
      extension: '1',
      answerTimeoutMs: 1000,
    }),
    'failed',
  );
  await rig.line.hangup();
  await rig.stop();
  await t.rejects(rig.line.answer(), { code: 'SOUNDCARD_BAD_STATE' });
});
