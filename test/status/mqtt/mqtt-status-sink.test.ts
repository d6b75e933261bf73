import t from 'tap';
import { MqttStatusSink } from '../../../src/status/mqtt/mqtt-status-sink.js';
import { type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import {
  auditLog,
  callRecord,
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

function makeSink(deviceId: string, extra: Record<string, unknown> = {}) {
  const commands = new RecordingCommands();
  const audit = auditLog();
  const log = captureLogger();
  const sink = new MqttStatusSink({
    options: { ...sinkOptions(broker, deviceId), ...extra },
    commands,
    audit: audit.audit,
    logger: log.logger,
    version: '0.1.0',
  });
  return { sink, commands, audit, log };
}

t.test('a late subscriber gets retained state, online and HA discovery', async (t) => {
  const { sink } = makeSink('retained');
  t.equal(sink.health().state, 'off', 'off before start');
  await sink.start();
  t.teardown(() => sink.stop());
  sink.publishStatus(status({ device: 'retained', callsToday: 3 }));
  sink.publishStatus(
    status({ device: 'retained', callsToday: 4, line: { kind: 'modem', state: 'ringing' } }),
  );
  await waitFor(
    'connected and flushed',
    () => sink.stats().connected && sink.stats().published >= 1,
  );
  t.equal(sink.health().state, 'ok');
  t.match(sink.health().detail, /^connected to mqtt:\/\/127\.0\.0\.1:\d+; 0 queued/);

  const late = await watch(broker, ['linekeeper/retained/#', 'homeassistant/device/+/config']);
  t.teardown(late.end);
  await waitFor('three retained messages', () => late.messages.length >= 3);
  const byTopic = new Map(late.messages.map((m) => [m.topic, m]));
  const state = byTopic.get('linekeeper/retained/state');
  t.ok(state?.retain, 'state is retained');
  t.same(
    JSON.parse(state?.payload ?? '{}'),
    {
      device: 'retained',
      version: '0.1.0',
      line: { kind: 'modem', state: 'ringing' },
      speech: { kind: 'vosk', state: 'ready' },
      relays: { kind: 'simulated', lineSelect: 'appliance' },
      currentCall: null,
      callsToday: 4,
      mode: 'day',
      frontDeskForced: false,
      // A status without a flood guard still says so: Home Assistant's sensors need the key.
      guard: {
        state: 'off',
        floodSince: null,
        screened: 0,
        challenged: 0,
        refused: 0,
        blockedNumbers: 0,
      },
      updatedAt: '2025-03-01T09:30:00.000Z',
    },
    'only the latest status is retained',
  );
  t.same(byTopic.get('linekeeper/retained/availability'), {
    topic: 'linekeeper/retained/availability',
    payload: 'online',
    retain: true,
  });
  const discovery = byTopic.get('homeassistant/device/linekeeper_retained/config');
  t.ok(discovery?.retain, 'discovery is retained');
  const d = JSON.parse(discovery?.payload ?? '{}');
  t.same(d.device.identifiers, ['linekeeper_retained']);
  t.equal(d.device.sw_version, '0.1.0');
  t.equal(d.components.line.state_topic, 'linekeeper/retained/state');
});

t.test('a simulated call: events in order, no raw number, transcript or prompt text', async (t) => {
  const { sink } = makeSink('call');
  const watcher = await watch(broker, ['linekeeper/call/event']);
  t.teardown(watcher.end);
  await sink.start();
  t.teardown(() => sink.stop());
  // Published before the connection is up: they wait in the queue, in order.
  const caller = { hash: '9f2c4e1ab7d3508c6e2f9a1b4c7d0e3f', hint: '58', withheld: null };
  sink.publishEvent('call-started', {
    callId: 'c-1',
    caller,
    at: new Date('2025-03-01T09:30:00Z'),
  });
  sink.publishEvent('prompt-played', {
    callId: 'c-1',
    promptId: 'callback-readback',
    text: 'We will call you back on 020 7946 0958',
    outcome: 'completed',
    atMs: 900,
  });
  sink.publishEvent('input-received', {
    callId: 'c-1',
    kind: 'speech',
    value: 'my number is 020 7946 0958 please',
    atMs: 3000,
  });
  sink.publishEvent('menu-choice', {
    callId: 'c-1',
    choice: { node: 'main-menu', option: 'appointments', via: 'speech', atMs: 3100 },
  });
  sink.publishEvent('routed', { callId: 'c-1', route: 'transfer:reception', atMs: 3200 });
  sink.publishEvent('call-ended', { record: callRecord('c-1') });
  for (let i = 0; i < 300; i += 1) {
    sink.publishEvent('routed', { callId: `bulk-${i}`, route: 'hangup', atMs: i });
  }
  await waitFor('306 events', () => watcher.messages.length >= 306);
  const events = watcher.messages.map((m) => JSON.parse(m.payload));
  t.same(
    events.map((e) => e.seq),
    Array.from({ length: 306 }, (_, i) => i + 1),
    'seq 1..306 with no gap, no duplicate, no reordering',
  );
  t.same(
    events.slice(0, 6).map((e) => e.event),
    ['call-started', 'prompt-played', 'input-received', 'menu-choice', 'routed', 'call-ended'],
  );
  t.same(events[0].caller, caller);
  t.equal(events[0].at, '2025-03-01T09:30:00.000Z');
  t.notOk('text' in events[1], 'prompt text is not sent');
  t.notOk('value' in events[2], 'speech transcript is not sent');
  t.equal(events[5].record.caller.hint, '58');
  const all = watcher.messages.map((m) => m.payload).join('\n');
  t.notMatch(all, /7946/, 'the number read back or spoken never reaches the broker');
  t.ok(
    watcher.messages.every((m) => !m.retain),
    'events are not retained',
  );
});

t.test('guard: a payload with a raw number is refused, logged without it, counted', async (t) => {
  const { sink, log } = makeSink('guard');
  const watcher = await watch(broker, ['linekeeper/guard/event', 'linekeeper/guard/state']);
  t.teardown(watcher.end);
  await sink.start();
  t.teardown(() => sink.stop());
  sink.publishStatus(status({ device: 'guard' }));
  // An upstream bug puts the caller's number where the hash belongs.
  sink.publishEvent('call-started', {
    callId: 'c-2',
    caller: { hash: '+44 20 7946 0958', hint: '58', withheld: null },
    at: new Date(),
  });
  sink.publishStatus(
    status({
      device: 'guard',
      line: { kind: 'modem', state: 'ringing', detail: 'caller 02079460958' },
    }),
  );
  sink.publishEvent('routed', { callId: 'c-2', route: 'hangup', atMs: 10 });
  await waitFor('good event', () => watcher.messages.some((m) => m.topic.endsWith('/event')));
  await waitFor('state', () => watcher.messages.some((m) => m.topic.endsWith('/state')));
  const events = watcher.messages
    .filter((m) => m.topic.endsWith('/event'))
    .map((m) => JSON.parse(m.payload));
  t.same(
    events.map((e) => e.event),
    ['routed'],
    'only the clean event was published',
  );
  t.equal(events[0].seq, 1, 'a refused event does not use up a seq number');
  const states = watcher.messages.filter((m) => m.topic.endsWith('/state'));
  t.equal(states.length, 1);
  t.equal(JSON.parse(states[0]?.payload ?? '{}').line.state, 'idle', 'the clean status stays');
  t.equal(sink.stats().refused, 2);
  t.match(
    sink.health().detail,
    /2 payloads refused as they looked like a raw phone number \(last: status line\.detail\)/,
  );
  const refusals = log.lines().filter((l) => l.code === 'MQTT_RAW_NUMBER_REFUSED');
  t.equal(refusals.length, 2);
  t.match(
    refusals[0]?.msg,
    /event call-started not published: caller\.hash contains a 12-digit run/,
  );
  t.notMatch(JSON.stringify(log.lines()), /7946/, 'the number is not logged either');
});

t.test('commands: allow-list, schema, results published and audited', async (t) => {
  const { sink, commands, audit } = makeSink('cmd', { allowedCommands: ['mode', 'reload-flow'] });
  const watcher = await watch(broker, ['linekeeper/cmd/command-result']);
  t.teardown(watcher.end);
  await sink.start();
  t.teardown(() => sink.stop());
  await waitFor('connected', () => sink.stats().connected);
  await new Promise((r) => setTimeout(r, 100)); // let the SUBSCRIBE settle before sending
  const send = (leaf: string, payload: string) =>
    watcher.client.publishAsync(`linekeeper/cmd/command/${leaf}`, payload, { qos: 1 });

  await send('mode', '{"mode":"night","requestId":"ha-1"}');
  await send('mode', '{"mode":"evening","requestId":"ha-2"}');
  await send('mode', '{"mode":"day","colour":"red"}');
  await send('mode', 'night');
  await send('front-desk', '{"force":true}');
  await send('reboot', '{}');
  await send('a/b', '{}');
  await send('reload-flow', '{}');
  await waitFor('8 results', () => watcher.messages.length >= 8);
  const results = watcher.messages.map((m) => JSON.parse(m.payload));

  t.same(commands.calls, ['setMode:night', 'reloadFlow'], 'only valid, allowed commands ran');
  t.match(results[0], { command: 'mode', requestId: 'ha-1', ok: true, result: 'night mode on' });
  t.match(results[1], {
    command: 'mode',
    requestId: 'ha-2',
    ok: false,
    error: { code: 'MQTT_COMMAND_INVALID', message: 'mode: must be one of day, night' },
  });
  t.match(results[2].error, {
    code: 'MQTT_COMMAND_INVALID',
    message: 'payload: unknown field "colour"',
  });
  t.match(results[3].error, { code: 'MQTT_COMMAND_MALFORMED', message: /not JSON/ });
  t.match(results[4].error, { code: 'MQTT_COMMAND_NOT_ALLOWED', message: /switched off/ });
  t.match(results[5], { command: 'reboot', error: { code: 'MQTT_COMMAND_UNKNOWN' } });
  t.match(results[6], { command: 'a/b', error: { code: 'MQTT_COMMAND_UNKNOWN' } });
  t.match(results[7], {
    command: 'reload-flow',
    ok: true,
    result: 'flow reloaded: clinic (12 nodes)',
  });

  t.equal(audit.entries.length, 8, 'every command, accepted or refused, is audited once');
  t.same(audit.entries[0], {
    actor: 'mqtt',
    action: 'command:mode',
    detail: 'mode=night: night mode on',
    ok: true,
  });
  t.match(audit.entries[1], { action: 'command:mode', ok: false, detail: /MQTT_COMMAND_INVALID/ });
  t.match(audit.entries[5], {
    action: 'command:reboot',
    ok: false,
    detail: /MQTT_COMMAND_UNKNOWN/,
  });
});

t.test('a retained command left on the broker is refused, not replayed', async (t) => {
  const setter = await watch(broker, []);
  t.teardown(setter.end);
  await setter.client.publishAsync('linekeeper/stale/command/front-desk', '{"force":true}', {
    qos: 1,
    retain: true,
  });
  t.teardown(() =>
    setter.client.publishAsync('linekeeper/stale/command/front-desk', '', { qos: 1, retain: true }),
  );
  const { sink, commands, audit } = makeSink('stale');
  await sink.start();
  t.teardown(() => sink.stop());
  await waitFor('audit entry', () => audit.entries.length >= 1);
  t.same(commands.calls, [], 'the front desk was not forced by a stale message');
  t.match(audit.entries[0], {
    action: 'command:front-desk',
    ok: false,
    detail: /MQTT_COMMAND_RETAINED/,
  });
});

t.test('HA discovery is sent again when Home Assistant announces online', async (t) => {
  const watcher = await watch(broker, ['homeassistant/device/linekeeper_ha/config']);
  t.teardown(watcher.end);
  const { sink, log } = makeSink('ha');
  await sink.start();
  t.teardown(() => sink.stop());
  await waitFor('first discovery', () => watcher.messages.length === 1);
  await watcher.client.publishAsync('homeassistant/status', 'offline', { qos: 1 });
  await watcher.client.publishAsync('homeassistant/status', 'online', { qos: 1 });
  await waitFor('second discovery', () => watcher.messages.length === 2);
  t.equal(watcher.messages[1]?.payload, watcher.messages[0]?.payload, 'same config');
  t.ok(log.lines().some((l) => /Home Assistant announced online/.test(String(l.msg))));
});

t.test('with HA discovery disabled nothing is published under the discovery prefix', async (t) => {
  const watcher = await watch(broker, [
    'homeassistant/device/linekeeper_noha/config',
    'linekeeper/noha/availability',
  ]);
  t.teardown(watcher.end);
  const { sink } = makeSink('noha', { homeAssistant: { enabled: false } });
  await sink.start();
  t.teardown(() => sink.stop());
  await waitFor('online', () => watcher.messages.length >= 1);
  await watcher.client.publishAsync('homeassistant/status', 'online', { qos: 1 });
  await new Promise((r) => setTimeout(r, 200));
  t.same(
    watcher.messages.map((m) => m.topic),
    ['linekeeper/noha/availability'],
  );
});

t.test('stop() says offline (retained), flushes the queue and reports off', async (t) => {
  const watcher = await watch(broker, ['linekeeper/bye/#']);
  t.teardown(watcher.end);
  const { sink } = makeSink('bye');
  await sink.start();
  for (let i = 0; i < 50; i += 1)
    sink.publishEvent('routed', { callId: `b-${i}`, route: 'hangup', atMs: i });
  await waitFor('connected', () => sink.stats().connected);
  await sink.stop();
  t.same(sink.health(), { state: 'off', detail: 'MQTT stopped' });
  await waitFor('offline', () => watcher.messages.some((m) => m.payload === 'offline'));
  t.equal(
    watcher.messages.filter((m) => m.topic.endsWith('/event')).length,
    50,
    'all events flushed',
  );
  const late = await watch(broker, ['linekeeper/bye/availability']);
  t.teardown(late.end);
  await waitFor('retained offline', () => late.messages.length === 1);
  t.same(late.messages[0], {
    topic: 'linekeeper/bye/availability',
    payload: 'offline',
    retain: true,
  });
  sink.publishEvent('routed', { callId: 'after', route: 'hangup', atMs: 1 });
  t.equal(sink.stats().queued, 0, 'publishing after stop is a no-op, not an error');
});
