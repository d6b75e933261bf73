import type { Test } from 'tap';
import t from 'tap';
import type { MqttSinkOptions } from '../../../src/status/mqtt/mqtt-options.js';
import { MqttStatusSink } from '../../../src/status/mqtt/mqtt-status-sink.js';
import { type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
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
  broker = await startMosquitto({
    users: { linekeeper: 's3cret-test', homeassistant: 'other-pass' },
  });
});
t.teardown(() => broker.dispose());

async function run(t: Test, deviceId: string, options: Partial<MqttSinkOptions>) {
  const log = captureLogger();
  const sink = new MqttStatusSink({
    options: { ...sinkOptions(broker, deviceId), ...options },
    commands: new RecordingCommands(),
    audit: auditLog().audit,
    logger: log.logger,
  });
  await sink.start();
  t.teardown(() => sink.stop());
  return { sink, log };
}

const errorsOf = (log: ReturnType<typeof captureLogger>, kind: string) =>
  log.lines().filter((l) => l.kind === kind && l.level === 50);

t.test('wrong password: refused, one clear error line, nothing published, degraded', async (t) => {
  const watcher = await watch(broker, ['linekeeper/badpass/#']);
  t.teardown(watcher.end);
  const { sink, log } = await run(t, 'badpass', { password: 'not-the-password' });
  sink.publishStatus(status({ device: 'badpass' }));
  await waitFor('two refusals', () => sink.stats().attempts >= 3);
  const lines = log.lines().filter((l) => l.level === 50);
  t.equal(lines.length, 1, 'logged once, not on every retry');
  t.match(
    lines[0]?.msg,
    /^broker mqtt:\/\/127\.0\.0\.1:\d+ refused the connection as not authorised \(user "linekeeper"\): check mqtt\.username\/mqtt\.password/,
  );
  t.notMatch(JSON.stringify(log.lines()), /not-the-password/, 'the password is never logged');
  t.match(sink.health(), { state: 'degraded', detail: /refused the connection as not authorised/ });
  t.same(watcher.messages, [], 'nothing reached the broker');
  t.match(broker.log(), /not authori[sz]ed|bad user name or password/i);
});

t.test('no credentials against a broker that requires them: refused', async (t) => {
  const { sink, log } = await run(t, 'anon', { username: undefined, password: undefined });
  await waitFor('refusal logged', () => errorsOf(log, 'not-authorised').length === 1);
  t.match(errorsOf(log, 'not-authorised')[0]?.msg, /\(no username\)/);
  t.equal(sink.stats().connected, false);
});

t.test('TLS with the site CA: connects and publishes', async (t) => {
  const watcher = await watch(broker, ['linekeeper/tls/state']);
  t.teardown(watcher.end);
  const { sink } = await run(t, 'tls', { url: broker.tlsUrl, tls: { caPath: broker.caPath } });
  sink.publishStatus(status({ device: 'tls' }));
  await waitFor('state over TLS', () => watcher.messages.length === 1);
  t.match(sink.health(), {
    state: 'ok',
    detail: new RegExp(`^connected to mqtts://127.0.0.1:${broker.tlsPort}`),
  });
});

t.test(
  'TLS without the CA, or with the wrong one: refused with a hint to set tls.ca',
  async (t) => {
    for (const [id, tls] of [
      ['noca', {}],
      ['wrongca', { caPath: broker.otherCaPath }],
    ] as const) {
      const { sink, log } = await run(t, id, { url: broker.tlsUrl, tls });
      await waitFor(`${id} refused`, () => errorsOf(log, 'tls').length === 1);
      t.match(
        errorsOf(log, 'tls')[0]?.msg,
        /^TLS with mqtts:\/\/127\.0\.0\.1:\d+ failed \(\w+: .*\): set mqtt\.tls\.ca/,
      );
      t.equal(sink.stats().connected, false, `${id}: not connected`);
    }
  },
);

t.test('mutual TLS: a client certificate is needed and accepted', async (t) => {
  const watcher = await watch(broker, ['linekeeper/mtls/state']);
  t.teardown(watcher.end);
  const { sink } = await run(t, 'mtls', {
    url: broker.mtlsUrl,
    tls: { caPath: broker.caPath, certPath: broker.clientCertPath, keyPath: broker.clientKeyPath },
  });
  sink.publishStatus(status({ device: 'mtls' }));
  await waitFor('state over mutual TLS', () => watcher.messages.length === 1);

  const without = await run(t, 'mtls-nocert', {
    url: broker.mtlsUrl,
    tls: { caPath: broker.caPath },
  });
  await waitFor('refused without a client cert', () => without.sink.stats().attempts >= 2);
  t.equal(without.sink.stats().connected, false);
});

t.test('unreadable TLS files and bad settings fail start() with a clear error', async (t) => {
  const sink = (options: Partial<MqttSinkOptions>) =>
    new MqttStatusSink({
      options: { ...sinkOptions(broker, 'bad'), ...options },
      commands: new RecordingCommands(),
      audit: () => {},
      logger: captureLogger().logger,
    });
  await t.rejects(sink({ url: broker.tlsUrl, tls: { caPath: '/nonexistent/ca.pem' } }).start(), {
    code: 'MQTT_TLS_FILE_UNREADABLE',
    message: /^mqtt\.tls\.caPath: cannot read \/nonexistent\/ca\.pem \(ENOENT/,
  });
  await t.rejects(sink({ url: 'mqtt://user:pw@127.0.0.1:1', deviceId: 'a/b' }).start(), {
    code: 'MQTT_CONFIG_INVALID',
    message: /url: must not contain a username or password[\s\S]*deviceId: must be 1-64 letters/,
  });
  t.equal(sink({}).health().state, 'off');
});
