import t from 'tap';
import { AtCommandEngine } from '../../../src/line/modem/at-command-engine.js';
import { AtParser } from '../../../src/line/modem/at-parser.js';
import {
  ModemCommandError,
  ModemError,
  ModemTimeoutError,
} from '../../../src/line/modem/modem-errors.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { flushMicrotasks, ManualClock } from './helpers/manual-clock.js';

function rig() {
  const clock = new ManualClock();
  const written: string[] = [];
  const parser = new AtParser();
  const engine = new AtCommandEngine({
    device: '/dev/ttyTEST',
    write: async (bytes) => {
      written.push(Buffer.from(bytes).toString('latin1'));
    },
    clock,
    defaultTimeoutMs: 2000,
    log: silentLogger(),
  });
  const unsolicited: string[] = [];
  engine.events.on('unsolicited', ({ line }) => unsolicited.push(line));
  const modem = (text: string) => {
    for (const token of parser.parse(Buffer.from(text, 'latin1'))) engine.handle(token);
  };
  return { clock, written, engine, unsolicited, modem };
}

t.test('commands go one at a time, in order, each with its answer', async (t) => {
  const { written, engine, modem } = rig();
  const first = engine.send('ATI3');
  const second = engine.send('AT+GMM');
  await flushMicrotasks();
  t.same(written, ['ATI3\r'], 'second waits for the first');
  modem('\r\nCX93001-EIS_V0.2002-V92\r\n\r\nOK\r\n');
  t.same(await first, {
    command: 'ATI3',
    result: 'OK',
    resultLine: 'OK',
    lines: ['CX93001-EIS_V0.2002-V92'],
  });
  await flushMicrotasks();
  t.same(written, ['ATI3\r', 'AT+GMM\r']);
  modem('\r\nERROR\r\n');
  t.equal((await second).result, 'ERROR');
});

t.test('echo of the command is not taken as its answer', async (t) => {
  const { engine, modem } = rig();
  const pending = engine.send('ATE0');
  await flushMicrotasks();
  modem('ATE0\r\r\nOK\r\n');
  t.same((await pending).lines, []);
});

t.test('RING and caller ID in the middle of a command are unsolicited', async (t) => {
  const { engine, modem, unsolicited } = rig();
  const pending = engine.send('AT+VLS=0');
  await flushMicrotasks();
  modem('\r\nRING\r\n\r\nNMBR = 5551234\r\n\r\nOK\r\n');
  t.same((await pending).lines, []);
  t.same(unsolicited, ['RING', 'NMBR = 5551234']);
  modem('\r\nNO CARRIER\r\n');
  t.same(
    unsolicited,
    ['RING', 'NMBR = 5551234', 'NO CARRIER'],
    'finals with nothing pending are reported',
  );
});

t.test(
  'a command without an answer times out with a typed error and the queue moves on',
  async (t) => {
    const { clock, written, engine, modem } = rig();
    const lost = engine.send('AT').catch((e: unknown) => e);
    const next = engine.send('ATI', 500);
    await clock.advance(1999);
    t.same(written, ['AT\r']);
    await clock.advance(1);
    const error = await lost;
    t.ok(error instanceof ModemTimeoutError);
    t.equal((error as ModemTimeoutError).code, 'MODEM_TIMEOUT');
    t.match((error as Error).message, /\/dev\/ttyTEST did not answer AT within 2000 ms/);
    await flushMicrotasks();
    t.same(written, ['AT\r', 'ATI\r']);
    modem('\r\nOK\r\n');
    t.equal((await next).result, 'OK');
    t.equal(clock.pending, 0, 'no timer left behind');
  },
);

t.test('run() turns ERROR into ModemCommandError; CONNECT and VCON are success', async (t) => {
  const { engine, modem } = rig();
  const failing = engine.run('AT+VSM=128,8000');
  await flushMicrotasks();
  modem('\r\n+CME ERROR: 4\r\n');
  const error = await failing.catch((e: unknown) => e);
  t.ok(error instanceof ModemCommandError);
  t.match((error as Error).message, /answered \+CME ERROR: 4 to AT\+VSM=128,8000/);
  const connect = engine.run('AT+VTX');
  await flushMicrotasks();
  modem('\r\nCONNECT 9600\r\n');
  t.equal((await connect).result, 'CONNECT');
  const vcon = engine.run('AT+VLS=1');
  await flushMicrotasks();
  modem('\r\nVCON\r\n');
  t.equal((await vcon).result, 'VCON');
});

t.test('numeric result mode', async (t) => {
  const { engine, modem, unsolicited } = rig();
  engine.setNumericMode(true);
  const ok = engine.send('AT');
  await flushMicrotasks();
  modem('2\r0\r');
  t.equal((await ok).result, 'OK');
  t.same(unsolicited, ['2'], 'numeric RING is unsolicited');
  const busy = engine.send('ATDT5');
  await flushMicrotasks();
  modem('7\r');
  t.equal((await busy).result, 'BUSY');
});

t.test('expectFinal waits for the OK after a stream without writing', async (t) => {
  const { written, engine, modem } = rig();
  const done = engine.expectFinal('end of stream');
  await flushMicrotasks();
  t.same(written, []);
  modem('\r\nOK\r\n');
  t.equal((await done).result, 'OK');
});

t.test('failAll rejects the pending and queued commands', async (t) => {
  const { engine, clock } = rig();
  const a = engine.send('AT');
  const b = engine.send('ATI');
  engine.failAll(new ModemError('MODEM_PORT_FAILED', 'gone'));
  await t.rejects(a, { code: 'MODEM_PORT_FAILED' });
  await t.rejects(b, { code: 'MODEM_PORT_FAILED' });
  t.equal(engine.busy, false);
  t.equal(clock.pending, 0);
});

t.test('a failed write rejects that command only', async (t) => {
  const clock = new ManualClock();
  let fail = true;
  const engine = new AtCommandEngine({
    device: '/dev/x',
    write: async () => {
      if (fail) throw new Error('EIO');
    },
    clock,
    defaultTimeoutMs: 100,
    log: silentLogger(),
  });
  await t.rejects(engine.send('AT'), /EIO/);
  fail = false;
  const next = engine.send('AT');
  await flushMicrotasks();
  engine.handle({ kind: 'line', text: 'OK' });
  t.equal((await next).result, 'OK');
});
