import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import t from 'tap';
import { Appliance } from '../../src/appliance/appliance.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { ModemEmulator } from '../../src/line/modem/emulator/modem-emulator.js';
import { PtyPair } from '../../src/line/modem/emulator/pty-pair.js';
import { silentLogger } from '../../src/shared/logger.js';
import { SqliteCallStore } from '../../src/storage/sqlite/sqlite-call-store.js';

/**
 * The whole appliance on a voice modem: a modem emulator on one end of a socat pty pair rings
 * with caller ID, the appliance answers through the real V.253 driver, plays synthesised
 * prompts as audio, hears a key, and stores the call with the number pseudonymised.
 */
const flow = `version: 1
name: modem test
language: en
disclosure: Automated assistant.
start: menu
person: desk
nodes:
  menu:
    type: menu
    prompt: Press one for a call back.
    timeoutSeconds: 3
    options:
      back: { dtmf: "1", next: thanks }
  thanks: { type: callback, topic: general, prompt: Thank you., next: bye }
  desk: { type: transfer, target: reception, answerTimeoutSeconds: 5, onNoAnswer: bye }
  bye: { type: hangup, prompt: Goodbye. }
`;

async function until(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

t.test('a modem call from ring to stored record', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-appliance-modem-'));
  writeFileSync(join(dir, 'flow.yaml'), flow);
  const pty = new PtyPair(dir);
  await pty.start();
  t.teardown(() => pty.stop());
  const port = new SerialPort({ path: pty.modemPath, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  port.on('error', () => {});
  const emulator = new ModemEmulator(port, 'conexant');
  emulator.start();
  t.teardown(() => {
    emulator.stop();
    port.close(() => {});
  });

  const config = parseConfigText(
    `dataDir: ${dir}/var
line: { driver: modem, modem: { device: ${pty.driverPath} } }
call: { flow: ${dir}/flow.yaml, emergencyNotice: null }
web: { enabled: false }
`,
    'test',
  );
  const appliance = new Appliance(config, silentLogger());
  await appliance.start();
  let stopped = false;
  t.teardown(async () => {
    if (!stopped) await appliance.stop();
  });
  await until('modem line idle', () => appliance.line()?.state() === 'idle');

  emulator.ring();
  await new Promise((r) => setTimeout(r, 300));
  emulator.callerId({ date: '1124', time: '0930', number: '03012345678', name: 'DOE JANE' });
  await new Promise((r) => setTimeout(r, 300));
  t.notOk(emulator.offHook, 'not answered on the first ring');
  emulator.ring();
  await until('answered', () => emulator.offHook);

  // Let the disclosure and menu play as audio, then press 1.
  await until(
    'prompt audio reaches the line',
    () => emulator.receivedAudio().length > 8000,
    20_000,
  );
  await emulator.pressKey('1', 100);
  await until('hung up after goodbye', () => !emulator.offHook, 30_000);
  await until('status shows the call', () => appliance.status().callsToday === 1, 10_000);

  await appliance.stop();
  stopped = true;
  const store = new SqliteCallStore(join(dir, 'var', 'linekeeper.db'));
  await store.start();
  const [call] = await store.recentCalls({ limit: 5 });
  await store.stop();
  t.match(call, {
    route: 'callback',
    topic: 'general',
    callerHint: '78',
    lineKind: 'modem',
    endReason: 'appliance-hangup',
  });
  t.match(call?.callerHash, /^[0-9a-f]{32}$/);
  for (const file of ['linekeeper.db', 'linekeeper.db-wal']) {
    let bytes = '';
    try {
      bytes = readFileSync(join(dir, 'var', file)).toString('latin1');
    } catch {}
    t.notMatch(bytes, /03012345678|DOE JANE/, `${file} holds no raw number or name`);
  }
});
