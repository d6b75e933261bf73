import t from 'tap';
import { incomingCall, tonePrompt } from './helpers/calls.js';
import { delay, eventually, ModemRig } from './helpers/modem-rig.js';

t.test(
  'a modem that stops answering: watchdog -> line down with a typed error -> recovery',
  async (t) => {
    const rig = new ModemRig('conexant', { watchdogIntervalMs: 300, commandTimeoutMs: 400 });
    t.teardown(() => rig.stop());
    await rig.start();
    rig.emulator.setResponsive(false);
    const down = await eventually(
      'down',
      () => rig.events('state').find((s) => s.state === 'down'),
      4000,
    );
    t.match(down.detail, /^MODEM_NOT_RESPONDING: modem on .* stopped responding/);
    t.match(down.detail, /did not answer AT within 400 ms/);
    t.equal(rig.line.state(), 'down');
    // The technician power-cycles the modem (or it comes back by itself).
    rig.emulator.setResponsive(true);
    await eventually('recovered', () => rig.line.state() === 'idle', 15_000);
    await incomingCall(rig, { number: '5551234567' }, 3);
    await eventually('call works after recovery', () => rig.line.state() === 'connected');
    await rig.line.hangup();
  },
);

t.test('the modem hangs as a call is answered: line down at once, not stuck ringing', async (t) => {
  // Found by the soak: AT+VLS=1 timed out, the line stayed "ringing" with line-select on the
  // appliance, and the next calls rang unanswered until the modem came back by itself.
  const rig = new ModemRig('conexant', { watchdogIntervalMs: 300, commandTimeoutMs: 400 });
  t.teardown(() => rig.stop());
  await rig.start();
  rig.emulator.ring();
  await eventually('ringing', () => rig.line.state() === 'ringing');
  rig.emulator.setResponsive(false);
  await t.rejects(rig.line.answer(), /did not answer AT\+VLS=1 within 400 ms/);
  const down = await eventually(
    'down',
    () => rig.events('state').find((s) => s.state === 'down'),
    4000,
  );
  t.match(down.detail, /^MODEM_NOT_RESPONDING: /);
  rig.emulator.setResponsive(true);
  await eventually('recovered', () => rig.line.state() === 'idle', 15_000);
});

t.test('the modem hangs mid-call: hangup line-fault, play resolves, line comes back', async (t) => {
  const rig = new ModemRig('usr-5637', { commandTimeoutMs: 400 });
  t.teardown(() => rig.stop());
  await rig.start();
  await incomingCall(rig, { number: '1' }, 3);
  await eventually('receiving', () => rig.emulator.stream === 'receive');
  rig.emulator.setResponsive(false);
  // Half duplex: play must stop receive first, which the hung modem never acknowledges.
  t.equal(await rig.line.play(tonePrompt('greeting', 500)), 'hangup');
  t.same(rig.events('hangup'), [{ cause: 'line-fault' }]);
  t.match(rig.line.state(), 'down');
  rig.emulator.setResponsive(true);
  await eventually('recovered', () => rig.line.state() === 'idle', 15_000);
});

t.test(
  'the modem goes silent while the appliance only listens: line fault, no command needed',
  async (t) => {
    // A listening call sends no command that could time out; a modem that stops streaming (hung,
    // or a pty whose close the port never reported) was only noticed at the next prompt.
    const rig = new ModemRig('conexant', { receiveSilenceMs: 1000, watchdogIntervalMs: 60_000 });
    t.teardown(() => rig.stop());
    await rig.start();
    await incomingCall(rig, { number: '1' }, 3);
    await eventually('receiving', () => rig.emulator.stream === 'duplex');
    await delay(1500);
    t.equal(rig.line.state(), 'connected', 'a streaming modem keeps the call going past the limit');
    rig.emulator.setResponsive(false);
    const down = await eventually(
      'down',
      () => rig.events('state').find((s) => s.state === 'down'),
      10_000,
    );
    t.match(down.detail, /^MODEM_NOT_RESPONDING: .*no audio for \d+ ms during a call/);
    t.same(rig.events('hangup'), [{ cause: 'line-fault' }]);
    rig.emulator.setResponsive(true);
    await eventually('recovered', () => rig.line.state() === 'idle', 15_000);
  },
);

t.test('a half-duplex modem silent while a long prompt plays is no fault', async (t) => {
  // In voice transmit a half-duplex modem sends nothing back: the silence watchdog must wait.
  const rig = new ModemRig('usr-5637', { receiveSilenceMs: 800 });
  t.teardown(() => rig.stop());
  await rig.start();
  await incomingCall(rig, { number: '1' }, 3);
  await eventually('receiving', () => rig.emulator.stream === 'receive');
  t.equal(await rig.line.play(tonePrompt('long', 2500)), 'completed');
  await delay(1200);
  t.equal(rig.line.state(), 'connected');
  t.same(rig.events('hangup'), []);
  await rig.line.hangup();
});

t.test('unplug (pty gone) -> down; replug -> idle within seconds, no restart', async (t) => {
  const rig = new ModemRig('conexant', { watchdogIntervalMs: 500, commandTimeoutMs: 500 });
  t.teardown(() => rig.stop());
  await rig.start();
  await incomingCall(rig, { number: '1' }, 3);
  await eventually('connected', () => rig.line.state() === 'connected');
  await rig.unplug();
  // A deadline for a loaded CI machine, not a figure: the watchdog notices within ~1 s.
  await eventually('down', () => rig.line.state() === 'down', 15_000);
  t.same(
    rig.events('hangup'),
    [{ cause: 'line-fault' }],
    'the call in progress ends as a line fault',
  );
  t.match(
    rig.events('state').find((s) => s.state === 'down')?.detail,
    /MODEM_PORT_FAILED|MODEM_NOT_RESPONDING/,
  );
  await delay(1500); // a few failed reconnect attempts while unplugged
  t.equal(rig.line.state(), 'down');
  const replugged = Date.now();
  await rig.replug();
  await eventually('idle again', () => rig.line.state() === 'idle', 15_000);
  t.comment(`recovered ${Date.now() - replugged} ms after replug (the soak measures this)`);
  await incomingCall(rig, { number: '2' }, 3);
  await eventually('new call connects', () => rig.line.state() === 'connected');
  t.same(
    rig.events('callerId').map((c) => c.number),
    ['1', '2'],
  );
  await rig.line.hangup();
});

t.test('start with no modem plugged in: line down, then up when it appears', async (t) => {
  const rig = new ModemRig('usr-5637', { watchdogIntervalMs: 300, commandTimeoutMs: 400 });
  t.teardown(() => rig.stop());
  await rig.start();
  await rig.unplug();
  await eventually('down', () => rig.line.state() === 'down', 15_000);
  await rig.line.stop();
  t.equal(rig.line.state(), 'down');
  await rig.line.start();
  t.equal(
    rig.line.state(),
    'down',
    'start() resolved: the appliance keeps running without its modem',
  );
  t.match(rig.events('state').at(-1)?.detail, /MODEM_PORT_FAILED: serial port .* cannot open/);
  await rig.replug();
  await eventually('up', () => rig.line.state() === 'idle', 15_000);
});

t.test('garbage bytes idle and mid-call never break the line', async (t) => {
  const rig = new ModemRig('conexant');
  t.teardown(() => rig.stop());
  await rig.start();
  const noise = Uint8Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 256);
  rig.emulator.sendGarbage(noise);
  rig.emulator.sendGarbage(
    Buffer.from('\r\nNMBR = \r\n\r\nMESG = 80FF\r\nOK\r\nERROR\r\n\x10\x10\x10'),
  );
  await delay(200);
  t.equal(rig.line.state(), 'idle');
  await incomingCall(rig, { number: '5551234567' }, 3);
  await eventually('connected', () => rig.line.state() === 'connected');
  rig.emulator.sendGarbage(noise.filter((b) => b !== 0x10));
  await rig.emulator.pressKey('4');
  await eventually('dtmf after noise', () => rig.events('dtmf').some((d) => d.digit === '4'));
  t.equal(await rig.line.play(tonePrompt('after noise', 200)), 'completed');
  await rig.line.hangup();
  t.equal(rig.line.state(), 'idle');
});

t.test('stop() during a call hangs up and closes the port', async (t) => {
  const rig = new ModemRig('usr-5637');
  t.teardown(() => rig.stop());
  await rig.start();
  await incomingCall(rig, { number: '1' }, 3);
  await eventually('connected', () => rig.line.state() === 'connected');
  await rig.line.stop();
  t.equal(rig.emulator.offHook, false);
  t.same(rig.events('hangup'), [{ cause: 'local' }]);
  t.same(rig.events('state').at(-1), { state: 'down', detail: 'stopped' });
});
