import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Appliance } from '../../src/appliance/appliance.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { SimulatedCaller } from '../../src/line/simulated/simulated-caller.js';
import type { SimulatedLine } from '../../src/line/simulated/simulated-line.js';
import { loadOrCreateDeviceSecret } from '../../src/privacy/device-secret.js';
import { NumberSealer } from '../../src/privacy/number-sealer.js';
import { SystemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { SqliteCallStore } from '../../src/storage/sqlite/sqlite-call-store.js';
import { SqliteCallbackStore } from '../../src/storage/sqlite/sqlite-callback-store.js';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';

/** The running appliance keeps a callback number sealed, and refuses a block-listed caller. */
const flow = `version: 1
name: quick
language: en
disclosure: Automated.
start: menu
person: desk
nodes:
  menu:
    type: menu
    prompt: Press one.
    timeoutSeconds: 2
    options:
      back: { dtmf: "1", next: thanks }
  thanks: { type: callback, topic: general, prompt: Thanks., next: bye }
  desk: { type: transfer, target: reception, answerTimeoutSeconds: 5, onNoAnswer: bye }
  bye: { type: hangup }
`;

t.test('callback numbers are sealed; a block-listed number is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-guard-'));
  writeFileSync(join(dir, 'flow.yaml'), flow);
  const config = parseConfigText(
    `dataDir: ${dir}/var
call: { flow: ${dir}/flow.yaml, emergencyNotice: null }
web: { enabled: false }
guard: { blockList: ["+49 30 999999"] }
`,
    'test',
  );
  const appliance = new Appliance(config, silentLogger());
  await appliance.start();
  let stopped = false;
  t.teardown(async () => {
    if (!stopped) await appliance.stop();
  });
  const line = appliance.line() as SimulatedLine;
  const clock = new SystemClock();

  const wanted = new SimulatedCaller(line, null, clock, {
    steps: [{ kind: 'dtmf', digits: '1' }],
    thinkMs: 100,
  });
  await line.placeCall(wanted, { number: '+49 30 1234567' });
  for (let i = 0; i < 200 && appliance.status().callsToday < 1; i++)
    await new Promise((r) => setTimeout(r, 50));
  const blocked = new SimulatedCaller(line, null, clock, {
    steps: [{ kind: 'dtmf', digits: '1' }],
    thinkMs: 100,
  });
  await line.placeCall(blocked, { number: '+49 30 999999' });
  for (let i = 0; i < 200 && appliance.status().callsToday < 2; i++)
    await new Promise((r) => setTimeout(r, 50));
  await appliance.stop();
  stopped = true;

  const calls = new SqliteCallStore(join(dir, 'var', 'linekeeper.db'));
  await calls.start();
  const [refused, served] = await calls.recentCalls({ limit: 5 });
  await calls.stop();
  t.equal(served?.route, 'callback');
  t.equal(refused?.route, 'refused:block-list');
  t.equal(refused?.durationMs, 0);

  const db = new SqliteDatabase(join(dir, 'var', 'linekeeper.db'));
  await db.start();
  const open = new SqliteCallbackStore(
    db,
    new NumberSealer(loadOrCreateDeviceSecret(join(dir, 'var', 'device-secret'))),
  ).open(Date.now());
  await db.stop();
  t.equal(open.length, 1);
  t.equal(open[0]?.number, '+49301234567', 'staff can read the number back to call');
  t.equal(open[0]?.topic, 'general');
  for (const file of ['linekeeper.db', 'linekeeper.db-wal']) {
    let bytes = '';
    try {
      bytes = readFileSync(join(dir, 'var', file)).toString('latin1');
    } catch {}
    t.notMatch(bytes, /1234567|999999/, `${file} holds no number in clear`);
  }
});
