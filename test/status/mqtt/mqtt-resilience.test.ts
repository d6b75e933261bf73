import t from 'tap';
import { MqttStatusSink } from '../../../src/status/mqtt/mqtt-status-sink.js';
import { IN_FLIGHT_WINDOW } from '../../../src/status/mqtt/outbox.js';
import { freePort, type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { startFaultyLink, startStallingBroker } from './net-faults.js';
import {
  auditLog,
  captureLogger,
  RecordingCommands,
  sinkOptions,
  status,
  waitFor,
  watch,
} from './sink-fixtures.js';

let broker: Mosquitto;
t.before(async () => {
  broker = await startMosquitto();
});
t.teardown(() => broker.dispose());

function makeSink(options: Record<string, unknown>) {
  const log = captureLogger();
  const sink = new MqttStatusSink({
    options: { ...sinkOptions(broker, 'x'), ...options } as never,
    commands: new RecordingCommands(),
    audit: auditLog().audit,
    logger: log.logger,
  });
  return { sink, log };
}

const routed = (i: number) => ({ callId: `c-${i}`, route: 'hangup', atMs: i });

t.test('a broker that accepts TCP and never answers CONNACK does not hold up a call', async (t) => {
  const stall = await startStallingBroker();
  t.teardown(stall.close);
  const { sink, log } = makeSink({
    url: stall.url,
    deviceId: 'stalled',
    queueLimit: 100,
    connectTimeoutMs: 300,
    reconnectMinMs: 50,
    reconnectMaxMs: 100,
  });
  await sink.start();
  await waitFor('TCP accepted and CONNECT sent', () => stall.bytes() > 0);

  // A whole call's worth of publishing and more, while the broker sits on the connection.
  for (let i = 0; i < 1000; i += 1) {
    t.equal(sink.publishEvent('routed', routed(i)), undefined);
  }
  sink.publishStatus(status({ device: 'stalled', callsToday: 1 }));
  t.equal(stall.connections(), 1, 'all 1000 publishes returned before any reconnect was due');
  t.match(sink.stats(), {
    connected: false,
    queued: 100,
    dropped: 900,
    inFlight: 0,
    eventsAccepted: 1000,
  });
  t.equal(sink.health().state, 'degraded');

  await waitFor('a reconnect after the CONNACK timeout', () => stall.connections() >= 3);
  t.match(
    sink.health().detail,
    /^not connected to mqtt:\/\/127\.0\.0\.1:\d+: broker .* accepted the connection but did not answer MQTT CONNECT within 300 ms.*; 100 queued, 0 in flight, 900 dropped$/,
  );
  const noConnack = log.lines().filter((l) => l.kind === 'no-connack' && l.level === 40);
  t.equal(noConnack.length, 1, 'one warning per outage, not one per attempt');

  await sink.stop();
  t.equal(sink.health().state, 'off', 'stop() returns although the broker never answered');
});

t.test(
  'a broker that stops reading after CONNACK: bounded in flight, drop oldest, order kept',
  async (t) => {
    const link = await startFaultyLink(broker.port);
    t.teardown(link.close);
    const watcher = await watch(broker, ['linekeeper/slow/event']);
    t.teardown(watcher.end);
    const { sink } = makeSink({
      url: link.url,
      deviceId: 'slow',
      queueLimit: 50,
      keepaliveSeconds: 60,
    });
    await sink.start();
    t.teardown(() => sink.stop());
    await waitFor('connected', () => sink.stats().connected);

    link.pause();
    for (let i = 1; i <= 200; i += 1) sink.publishEvent('routed', routed(i));
    t.match(sink.stats(), {
      inFlight: IN_FLIGHT_WINDOW,
      queued: 50,
      dropped: 200 - IN_FLIGHT_WINDOW - 50,
    });
    t.equal(sink.health().state, 'ok', 'still connected: the broker is slow, not gone');

    link.resume();
    await waitFor('what was kept', () => watcher.messages.length >= IN_FLIGHT_WINDOW + 50);
    const seqs = watcher.messages.map((m) => JSON.parse(m.payload).seq as number);
    const expected = [
      ...Array.from({ length: IN_FLIGHT_WINDOW }, (_, i) => i + 1),
      ...Array.from({ length: 50 }, (_, i) => 151 + i),
    ];
    t.same(seqs, expected, 'the oldest queued were dropped; the gap in seq shows where');
    await waitFor('drained', () => sink.stats().queued === 0 && sink.stats().inFlight === 0);
  },
);

t.test(
  'recovery after the broker restarts: events kept in order, retained state restored',
  async (t) => {
    const link = await startFaultyLink(broker.port);
    t.teardown(link.close);
    const { sink, log } = makeSink({ url: link.url, deviceId: 'restart' });
    await sink.start();
    t.teardown(() => sink.stop());
    sink.publishStatus(status({ device: 'restart', callsToday: 7 }));
    sink.publishEvent('routed', routed(1));
    await waitFor('first event out', () => sink.stats().published >= 2);

    // The link refuses while the broker is away, so the sink cannot reconnect before the
    // watcher is back in place; the restart itself is a real Mosquitto stop and start.
    link.block();
    await broker.stop();
    await waitFor('sink noticed', () => !sink.stats().connected);
    t.equal(sink.health().state, 'degraded');
    for (let i = 2; i <= 21; i += 1) sink.publishEvent('routed', routed(i));
    t.equal(sink.stats().queued, 20);

    await broker.start();
    const watcher = await watch(broker, ['linekeeper/restart/#']);
    t.teardown(watcher.end);
    await new Promise((r) => setTimeout(r, 100));
    t.same(watcher.messages, [], 'the restarted broker lost the retained state (no persistence)');
    link.unblock();

    await waitFor(
      'reconnected and flushed',
      () => watcher.messages.filter((m) => m.topic.endsWith('/event')).length === 20,
    );
    await waitFor('state again', () => watcher.messages.some((m) => m.topic.endsWith('/state')));
    const events = watcher.messages
      .filter((m) => m.topic.endsWith('/event'))
      .map((m) => JSON.parse(m.payload).seq);
    t.same(
      events,
      Array.from({ length: 20 }, (_, i) => i + 2),
      'queued events, in order',
    );
    const state = watcher.messages.find((m) => m.topic.endsWith('/state'));
    t.equal(JSON.parse(state?.payload ?? '{}').callsToday, 7, 'last status published again');
    t.ok(watcher.messages.some((m) => m.topic.endsWith('/availability') && m.payload === 'online'));
    t.equal(sink.health().state, 'ok');
    t.ok(
      log.lines().some((l) => /^mqtt connected after: /.test(String(l.msg))),
      'recovery logged',
    );
  },
);

t.test('no broker at all: one clear line, backoff retries, publishing still instant', async (t) => {
  const port = await freePort();
  const { sink, log } = makeSink({
    url: `mqtt://127.0.0.1:${port}`,
    deviceId: 'nobroker',
    reconnectMinMs: 20,
    reconnectMaxMs: 80,
  });
  await sink.start();
  t.teardown(() => sink.stop());
  await waitFor('several attempts', () => sink.stats().attempts >= 4);
  sink.publishEvent('routed', routed(1));
  t.equal(sink.stats().queued, 1);
  const lines = log.lines().filter((l) => l.kind === 'unreachable' && Number(l.level) >= 40);
  t.equal(lines.length, 1);
  t.match(
    lines[0]?.msg,
    /^nothing is listening at mqtt:\/\/127\.0\.0\.1:\d+: is the broker running/,
  );
  t.match(
    sink.health().detail,
    /nothing is listening.*; (next attempt in \d+ s|trying now); 1 queued/,
  );
});
