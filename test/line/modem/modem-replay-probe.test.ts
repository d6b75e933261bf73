import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { SerialPort } from 'serialport';
import t from 'tap';
import { registerModemProbeCommand } from '../../../src/cli/commands/modem-probe-command.js';
import { registerModemReplayCommand } from '../../../src/cli/commands/modem-replay-command.js';
import { ModemEmulator } from '../../../src/line/modem/emulator/modem-emulator.js';
import { PtyPair } from '../../../src/line/modem/emulator/pty-pair.js';
import { findCandidatePorts, probeModem } from '../../../src/line/modem/modem-probe.js';
import { maskNumber, replayCapture } from '../../../src/line/modem/modem-replay.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { incomingCall } from './helpers/calls.js';
import { eventually, ModemRig } from './helpers/modem-rig.js';
import { FIXTURES, loadTranscript } from './helpers/transcripts.js';

async function captureStdout(run: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  }) as typeof process.stdout.write;
  try {
    await run();
  } finally {
    process.stdout.write = write;
  }
  return lines;
}

t.test('replay of the USR transcript', async (t) => {
  const events = replayCapture(loadTranscript('usr-5637-incoming-call.at'), {
    profile: 'usr-5637',
    chunkSize: 7,
  });
  t.same(
    events.map((e) => e.type),
    [
      'ring',
      'caller-id',
      'ring',
      'result',
      'result',
      'voice-data',
      'dtmf',
      'voice-data',
      'far-end-gone',
      'voice-data',
      'end-of-data',
      'result',
    ],
  );
  t.match(events[1], { type: 'caller-id', number: '********67', name: 'JOHN DOE' });
  t.match(
    events.find((e) => e.type === 'dtmf'),
    { digit: '5' },
  );
  const full = replayCapture(loadTranscript('usr-5637-incoming-call.at'), {
    profile: 'usr-5637',
    showNumbers: true,
  });
  t.match(full[1], { number: '5551234567' });
  t.equal(maskNumber('7'), '**');
});

t.test(
  'replay of the Conexant transcript: bracketed DTMF is one press, extension pickup',
  async (t) => {
    const events = replayCapture(loadTranscript('conexant-incoming-call.at'), {
      profile: 'conexant',
    });
    t.same(
      events.filter((e) => e.type === 'dtmf').map((e) => (e as { digit: string }).digit),
      ['7'],
    );
    t.match(
      events.find((e) => e.type === 'handset'),
      { code: 'P' },
    );
    t.match(
      events.find((e) => e.type === 'caller-id'),
      { number: '********89' },
    );
  },
);

t.test('replay of withheld/hex and garbage transcripts', async (t) => {
  const cids = replayCapture(loadTranscript('withheld-and-hex.at'), {
    profile: 'generic-ulaw',
    showNumbers: true,
  }).filter((e) => e.type === 'caller-id');
  t.match(cids, [{ withheld: 'private' }, { withheld: 'unavailable' }, { number: '5551234567' }]);
  const garbage = replayCapture(loadTranscript('garbage.at'), { profile: 'conexant' });
  t.equal(garbage.filter((e) => e.type === 'ring').length, 2);
});

t.test('a live call captured with capturePath replays to the same story', async (t) => {
  const capturePath = join(t.testdir(), 'capture.bin');
  const captured = new ModemRig('conexant', { capturePath });
  t.teardown(() => captured.stop());
  await captured.start();
  await incomingCall(captured, { number: '5551234567', name: 'ANN' }, 3);
  await eventually('connected', () => captured.line.state() === 'connected');
  await captured.emulator.pressKey('3', 50);
  await eventually('dtmf', () => captured.events('dtmf').length === 1);
  captured.emulator.farEndHangup('busy');
  await eventually('idle', () => captured.line.state() === 'idle');
  const events = replayCapture(readFileSync(capturePath), {
    profile: 'conexant',
    showNumbers: true,
  });
  const story = events.filter((e) =>
    ['ring', 'caller-id', 'dtmf', 'far-end-gone'].includes(e.type),
  );
  t.match(story, [
    { type: 'ring' },
    { type: 'caller-id', number: '5551234567', name: 'ANN' },
    { type: 'ring' },
    { type: 'dtmf', digit: '3' },
    { type: 'far-end-gone', reason: 'busy' },
  ]);
});

t.test('modem-replay command prints JSON lines and rejects bad input', async (t) => {
  const program = new Command().exitOverride();
  registerModemReplayCommand(program);
  const lines = await captureStdout(() =>
    program
      .parseAsync(
        ['modem-replay', join(FIXTURES, 'conexant-incoming-call.at'), '--profile', 'conexant'],
        { from: 'user' },
      )
      .then(() => {}),
  );
  t.ok(lines.length > 0);
  t.ok(lines.every((line) => typeof JSON.parse(line).type === 'string'));
  process.exitCode = 0;
  await captureStdout(() =>
    program
      .parseAsync(['modem-replay', '/nonexistent', '--profile', 'conexant'], { from: 'user' })
      .then(() => {}),
  );
  t.equal(process.exitCode, 2, 'unreadable file is bad input');
  process.exitCode = 0;
  await captureStdout(() =>
    program
      .parseAsync(['modem-replay', '/dev/null', '--profile', 'hayes'], { from: 'user' })
      .then(() => {}),
  );
  t.equal(process.exitCode, 2, 'unknown profile is bad input');
  process.exitCode = 0;
});

t.test('modem-probe against emulated modems through a pty', async (t) => {
  for (const [modem, profile, verdict] of [
    ['conexant', 'conexant', 'usable'],
    ['usr-5637', 'usr-5637', 'usable'],
    ['generic', 'generic-ulaw', 'usable'],
  ] as const) {
    const pty = new PtyPair(t.testdir());
    await pty.start();
    const port = new SerialPort({ path: pty.modemPath, baudRate: 115200 });
    await new Promise((resolve) => port.once('open', resolve));
    const emulator = new ModemEmulator(port, modem);
    emulator.start();
    const report = await probeModem(pty.driverPath, {
      baudRate: 115200,
      timeoutMs: 500,
      log: silentLogger(),
    });
    t.match(
      report,
      {
        verdict,
        profile,
        capabilities: { voice: true, callerId: true, fullDuplex: modem === 'conexant' },
      },
      modem,
    );
    emulator.setResponsive(false);
    const hung = await probeModem(pty.driverPath, {
      baudRate: 115200,
      timeoutMs: 300,
      log: silentLogger(),
    });
    t.match(hung, { verdict: 'no-answer', advice: /did not answer AT within 300 ms/ });
    emulator.stop();
    await new Promise((resolve) => port.close(resolve));
    await pty.stop();
  }
  const missing = await probeModem('/dev/nonexistent-modem', {
    baudRate: 115200,
    timeoutMs: 300,
    log: silentLogger(),
  });
  t.match(missing, {
    verdict: 'cannot-open',
    advice: /serial port \/dev\/nonexistent-modem: cannot open/,
  });
});

t.test('candidate ports: by-id first, else ttyACM/ttyUSB', async (t) => {
  const dir = t.testdir({
    serial: { 'by-id': { 'usb-Conexant_USB_Modem-if00': '' } },
    ttyACM0: '',
    ttyS0: '',
  });
  t.same(await findCandidatePorts(dir), [join(dir, 'serial/by-id/usb-Conexant_USB_Modem-if00')]);
  const bare = t.testdir({ ttyACM0: '', ttyUSB1: '', ttyS0: '' });
  t.same(await findCandidatePorts(bare), [join(bare, 'ttyACM0'), join(bare, 'ttyUSB1')]);
});

t.test('modem-probe command with no modem exits non-zero with advice', async (t) => {
  const program = new Command().exitOverride();
  registerModemProbeCommand(program);
  const lines = await captureStdout(() =>
    program
      .parseAsync(['modem-probe', '/dev/nonexistent-modem', '--timeout', '200'], { from: 'user' })
      .then(() => {}),
  );
  t.match(lines.join('\n'), /verdict\s+CANNOT-OPEN/);
  t.equal(process.exitCode, 1);
  process.exitCode = 0;
});
