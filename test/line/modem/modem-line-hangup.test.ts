import t from 'tap';
import { incomingCall, tonePrompt } from './helpers/calls.js';
import { delay, eventually, ModemRig } from './helpers/modem-rig.js';

async function inCall(
  t: { teardown(fn: () => unknown): void },
  modem: 'conexant' | 'usr-5637' | 'generic',
): Promise<ModemRig> {
  const rig = new ModemRig(modem);
  t.teardown(() => rig.stop());
  await rig.start();
  await incomingCall(rig, { number: '5551234567' }, 3);
  await eventually(
    'connected',
    () => rig.line.state() === 'connected' && rig.emulator.stream !== 'none',
  );
  return rig;
}

const farEnd = ['busy', 'dial-tone', 'silence', 'quiet', 'loop-break', 'no-carrier'] as const;

for (const how of farEnd) {
  t.test(`far end hangs up (${how}) -> hangup remote, line on hook`, async (t) => {
    const rig = await inCall(t, how === 'no-carrier' ? 'usr-5637' : 'conexant');
    rig.emulator.farEndHangup(how);
    await eventually('on hook', () => !rig.emulator.offHook && rig.line.state() === 'idle');
    t.same(rig.events('hangup'), [{ cause: 'remote' }]);
  });
}

t.test('far end hangs up while a prompt plays -> play resolves hangup', async (t) => {
  const rig = await inCall(t, 'usr-5637');
  const playing = rig.line.play(tonePrompt('long', 5000));
  await eventually('transmitting', () => rig.emulator.stream === 'transmit');
  await delay(200);
  rig.emulator.farEndHangup('busy');
  const started = Date.now();
  t.equal(await playing, 'hangup');
  t.ok(Date.now() - started < 1000, 'did not play the rest of the prompt to nobody');
  await eventually('on hook', () => !rig.emulator.offHook);
  t.same(rig.events('hangup'), [{ cause: 'remote' }]);
});

for (const modem of ['conexant', 'usr-5637', 'generic'] as const) {
  t.test(`${modem}: handset picked up mid-call -> line released at once`, async (t) => {
    const rig = await inCall(t, modem);
    const playing = rig.line.play(tonePrompt('menu', 4000));
    await delay(300);
    const pickedAt = Date.now();
    rig.emulator.pickUpHandset();
    await eventually('released', () => !rig.emulator.offHook, 2000);
    const releaseMs = Date.now() - pickedAt;
    t.ok(releaseMs < 1000, `released ${releaseMs} ms after pickup`);
    t.equal(await playing, 'hangup');
    t.same(rig.events('hangup'), [{ cause: 'local' }]);
    await eventually('idle', () => rig.line.state() === 'idle');
    t.match(rig.events('state').at(-1), { state: 'idle', detail: /handset/ });
  });
}

t.test(
  'handset picked up while ringing -> never answers, no greeting into that call',
  async (t) => {
    const rig = new ModemRig('conexant', { answerOnRing: 3 });
    t.teardown(() => rig.stop());
    await rig.start();
    let offHooks = 0;
    rig.emulator.events.on('hook', ({ offHook }) => offHook && offHooks++);
    rig.emulator.ring();
    await delay(100);
    rig.emulator.ring();
    await delay(100);
    rig.emulator.pickUpHandset();
    await delay(50);
    // Some lines keep ringing a moment after an extension answers.
    rig.emulator.ring();
    await delay(300);
    t.equal(offHooks, 0, 'modem never went off hook');
    t.equal(rig.line.state(), 'idle');
    t.match(rig.events('state').at(-1), { detail: 'answered on an extension' });
    t.equal(await rig.line.play(tonePrompt('greeting', 200)), 'hangup');
    t.same(rig.emulator.receivedAudio().length, 0);
  },
);

t.test('DTMF keeps coming during playback on a half-duplex modem', async (t) => {
  const rig = await inCall(t, 'usr-5637');
  const playing = rig.line.play(tonePrompt('menu', 1500));
  await eventually('transmitting', () => rig.emulator.stream === 'transmit');
  for (const digit of ['1', '2', '#'] as const) {
    await rig.emulator.pressKey(digit);
    await delay(100);
  }
  t.equal(await playing, 'completed', 'not interrupted without an abort signal');
  t.same(
    rig.events('dtmf').map((d) => d.digit),
    ['1', '2', '#'],
  );
  const [first] = rig.events('dtmf');
  t.ok(first!.atMs > 0 && first!.atMs < 5000, 'atMs counts from the answer');
  await rig.line.hangup();
});

t.test('Conexant DTMF carries a duration', async (t) => {
  const rig = await inCall(t, 'conexant');
  await rig.emulator.pressKey('9', 150);
  const [press] = await eventually(
    'dtmf',
    () => rig.events('dtmf').length > 0 && rig.events('dtmf'),
  );
  t.equal(press!.digit, '9');
  t.ok(press!.durationMs! >= 100 && press!.durationMs! < 600, `duration ${press!.durationMs} ms`);
  await rig.line.hangup();
});
