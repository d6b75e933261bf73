import dgram from 'node:dgram';
import dns from 'node:dns';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createCallStore } from '../../src/appliance/adapter-factory.js';
import { Appliance } from '../../src/appliance/appliance.js';
import { dataPaths } from '../../src/appliance/paths.js';
import { simulateCall } from '../../src/appliance/simulate-call.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { runFloodScenario } from '../../src/guard/simulated/flood-scenario.js';
import { loadFlow } from '../../src/ivr/parse-flow.js';
import type { CallerStep } from '../../src/line/simulated/simulated-caller.js';
import { CallerPseudonymizer } from '../../src/privacy/caller-pseudonymizer.js';
import { DataSubjectRequests } from '../../src/privacy/data-subject-requests.js';
import { loadOrCreateDeviceSecret } from '../../src/privacy/device-secret.js';
import { NumberSealer } from '../../src/privacy/number-sealer.js';
import { DEFAULT_RETENTION } from '../../src/privacy/retention-policy.js';
import { SystemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { MemoryStatusSink } from '../../src/status/simulated/memory-status-sink.js';
import { PurgeJob } from '../../src/storage/purge-job.js';
import { SqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import { SqliteDataSubjectStore } from '../../src/storage/sqlite/sqlite-data-subject-store.js';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import { freePort } from '../helpers/free-port.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { type EgressAttempt, interceptEgress } from './support/egress-guard.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

const SCRIPTS: CallerStep[][] = [
  [
    { kind: 'dtmf', digits: '1' },
    { kind: 'dtmf', digits: '1' },
    { kind: 'dtmf', digits: '2' },
  ],
  [{ kind: 'dtmf', digits: '2' }],
  [{ kind: 'dtmf', digits: '3' }],
  [{ kind: 'say', text: 'test results' }],
  [{ kind: 'dtmf', digits: '0' }],
  [{ kind: 'say', text: 'reception please' }],
  [],
];

t.test(
  'a full simulated day talks only to the configured broker and its own web page',
  async (t) => {
    const broker = await startMosquitto();
    t.teardown(() => broker.dispose());
    const webPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'lk-egress-'));
    const config = parseConfigText(
      `dataDir: ${dir}/var
device: { id: egress-test }
web: { enabled: true, host: 127.0.0.1, port: ${webPort} }
mqtt:
  enabled: true
  url: ${broker.url}
  username: ${broker.username}
  password: ${broker.password}
`,
      'test',
    );
    const brokerTarget = `${broker.host}:${broker.port}`;
    const allowed = (a: EgressAttempt) =>
      (a.kind === 'tcp' && (a.target === brokerTarget || a.target === `127.0.0.1:${webPort}`)) ||
      (a.kind === 'dns' && LOOPBACK.has(a.target));
    const egress = interceptEgress(allowed);
    t.teardown(() => egress.restore());

    const appliance = new Appliance(config, silentLogger());
    await appliance.start();
    t.teardown(() => appliance.stop());
    const flow = loadFlow(config.call.flow).flow;
    const store = createCallStore(config);
    await store.start();
    t.teardown(() => store.stop());

    // A clinic day: 120 calls over ten hours, menus by keys and speech, callbacks, transfers.
    const day = Date.now() - 11 * 3_600_000;
    let saved = 0;
    for (let i = 0; i < 120; i++) {
      const result = await simulateCall(
        config,
        {
          flow,
          callerNumber: i % 9 === 0 ? null : `+4930${String(1000 + (i % 40)).padStart(7, '0')}`,
          steps: SCRIPTS[i % SCRIPTS.length]!,
          atMs: day + i * 5 * 60_000,
          personAnswers: i % 4 !== 0,
        },
        { store, status: new MemoryStatusSink(), logger: silentLogger() },
      );
      if (result.saved) saved++;
      if (i % 20 === 0) {
        const page = await fetch(`${appliance.webAddress()}/`);
        t.equal(page.status, 200, 'the dashboard answers on loopback');
      }
    }
    t.equal(saved, 120);

    // The flood guard's day, the purge job and a data-subject export run in the same process.
    const flood = await runFloodScenario({
      flow,
      seed: 3,
      botNumbers: 20,
      botCalls: 200,
      humans: 20,
      knownHumans: 8,
    });
    t.equal(flood.bots.passedChallenge, 0);
    const db = new SqliteDatabase(dataPaths(config).database);
    await db.start();
    t.teardown(() => db.stop());
    new PurgeJob({
      db,
      policy: DEFAULT_RETENTION,
      clock: new SystemClock(),
      logger: silentLogger(),
    }).runOnce(Date.now());
    const secret = loadOrCreateDeviceSecret(dataPaths(config).deviceSecret);
    const exported = new DataSubjectRequests({
      pseudonymizer: new CallerPseudonymizer(secret),
      sealer: new NumberSealer(secret),
      store: new SqliteDataSubjectStore(db),
      audit: new SqliteAuditLog(db),
      clock: new SystemClock(),
    }).export('+49300001001', 'test');
    t.ok(exported.data.calls.length > 0);

    t.ok(
      egress.attempts.some((a) => a.kind === 'tcp' && a.target === brokerTarget),
      'the interceptor saw the MQTT connection (it is watching)',
    );
    t.same(egress.blocked, [], 'no connection to anything but the broker and the web page');
  },
);

t.test('the interceptor catches and refuses other connections (the test can fail)', async (t) => {
  const egress = interceptEgress(() => false);
  t.teardown(() => egress.restore());
  const tcp = await new Promise<string>((resolve) => {
    const socket = net.connect(80, '192.0.2.1');
    socket.on('error', (e) => resolve(e.message));
    socket.on('connect', () => resolve('connected'));
  });
  t.match(tcp, /blocked by test/);
  const lookup = await new Promise<string>((resolve) =>
    dns.lookup('example.com', (err) => resolve(err ? err.message : 'resolved')),
  );
  t.match(lookup, /blocked by test/);
  const fetched = await fetch('http://192.0.2.1/').then(
    () => 'fetched',
    () => 'failed',
  );
  t.equal(fetched, 'failed');
  const udp = dgram.createSocket('udp4');
  udp.send(Buffer.from('x'), 53, '198.51.100.1');
  udp.close();
  t.same(
    egress.blocked.map((a) => `${a.kind} ${a.target}`),
    ['tcp 192.0.2.1:80', 'dns example.com', 'tcp 192.0.2.1:80', 'udp 198.51.100.1:53'],
  );
});
