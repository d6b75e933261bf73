import t from 'tap';
import { describeBroker, resolveMqttOptions } from '../../../src/status/mqtt/mqtt-options.js';

t.test('defaults', async (t) => {
  const o = resolveMqttOptions({ url: 'mqtt://broker.local', deviceId: 'reception' });
  t.match(o, {
    topicPrefix: 'linekeeper',
    keepaliveSeconds: 30,
    queueLimit: 1000,
    homeAssistant: {
      enabled: true,
      discoveryPrefix: 'homeassistant',
      deviceName: 'linekeeper reception',
    },
    tls: { rejectUnauthorized: true },
    connectTimeoutMs: 10_000,
    reconnectMinMs: 1000,
    reconnectMaxMs: 60_000,
  });
  t.same([...o.allowedCommands], ['mode', 'front-desk', 'reload-flow']);
});

t.test('every problem is reported at once, by key', async (t) => {
  let error: unknown;
  try {
    resolveMqttOptions({
      url: 'http://x',
      deviceId: 'front desk',
      topicPrefix: 'clinic/#',
      password: 'p',
      tls: { certPath: '/c.pem' },
      queueLimit: 0,
      reconnectMinMs: 5000,
      reconnectMaxMs: 1000,
      allowedCommands: ['mode', 'reboot' as never],
    });
  } catch (e) {
    error = e;
  }
  const err = error as { code: string; problems: { path: string }[]; message: string };
  t.equal(err.code, 'MQTT_CONFIG_INVALID');
  t.same(
    err.problems.map((p) => p.path),
    [
      'url',
      'deviceId',
      'topicPrefix',
      'password',
      'tls',
      'allowedCommands[1]',
      'reconnectMaxMs',
      'queueLimit',
    ],
  );
  t.match(
    err.message,
    /^mqtt settings: url: scheme "http:" is not one of mqtt:, mqtts:, ws:, wss:\n/,
  );
});

t.test('multi-level prefixes are fine, wildcards and $ are not', async (t) => {
  t.equal(
    resolveMqttOptions({ url: 'mqtts://b:8883', deviceId: 'l1', topicPrefix: 'clinic-a/phones' })
      .topicPrefix,
    'clinic-a/phones',
  );
  for (const bad of ['a/+/b', '$SYS', 'a//b', '/a', 'a/']) {
    t.throws(
      () => resolveMqttOptions({ url: 'mqtt://b', deviceId: 'l1', topicPrefix: bad }),
      { code: 'MQTT_CONFIG_INVALID' },
      bad,
    );
  }
});

t.test('logs show the broker without credentials', async (t) => {
  t.equal(describeBroker('mqtts://user:pw@broker.local:8883/x'), 'mqtts://broker.local:8883');
  t.equal(describeBroker('not a url'), '(invalid url)');
});
