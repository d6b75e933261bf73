import t from 'tap';
import { compileCommandValidators } from '../../../src/status/mqtt/command-schemas.js';
import { buildDiscovery } from '../../../src/status/mqtt/ha-discovery.js';
import { type CommandName, resolveMqttOptions } from '../../../src/status/mqtt/mqtt-options.js';
import { mqttTopics } from '../../../src/status/mqtt/mqtt-topics.js';
import { toWireStatus } from '../../../src/status/mqtt/wire-payloads.js';
import { status } from './sink-fixtures.js';

const options = resolveMqttOptions({
  url: 'mqtt://b',
  deviceId: 'reception',
  topicPrefix: 'clinic/phones',
});
const topics = mqttTopics(options);
const discovery = buildDiscovery(options, topics, '1.2.3');
// Entity platforms HA's MQTT integration accepts in a device discovery payload.
const HA_PLATFORMS = new Set([
  'sensor',
  'binary_sensor',
  'select',
  'switch',
  'button',
  'number',
  'text',
  'event',
]);

t.test('device-based discovery as HA documents it', async (t) => {
  t.equal(topics.discovery, 'homeassistant/device/linekeeper_reception/config');
  t.same(discovery.device, {
    identifiers: ['linekeeper_reception'],
    name: 'linekeeper reception',
    manufacturer: 'linekeeper',
    model: 'linekeeper voice appliance',
    sw_version: '1.2.3',
  });
  t.same(discovery.origin, { name: 'linekeeper', sw_version: '1.2.3' }, 'origin.name is required');
  t.same(discovery.availability, [
    {
      topic: 'clinic/phones/reception/availability',
      payload_available: 'online',
      payload_not_available: 'offline',
    },
  ]);
  const ids = new Set<string>();
  for (const [key, c] of Object.entries(discovery.components)) {
    t.ok(HA_PLATFORMS.has(String(c.platform)), `${key}: platform ${String(c.platform)}`);
    t.match(c.unique_id, new RegExp(`^linekeeper_reception_${key}$`));
    ids.add(String(c.unique_id));
    for (const k of ['state_topic', 'command_topic'] as const) {
      if (k in c) t.notMatch(String(c[k]), /[#+]/, `${key}.${k} has no wildcard`);
    }
  }
  t.equal(ids.size, Object.keys(discovery.components).length, 'unique ids are unique');
});

t.test('every value_template reads a field the state payload has', async (t) => {
  const busy = toWireStatus(status({ currentCall: { callId: 'c-1', stage: 'menu' } })) as unknown;
  for (const [key, c] of Object.entries(discovery.components)) {
    if (typeof c.value_template !== 'string') continue;
    for (const [, path] of c.value_template.matchAll(/value_json\.([\w.]+)/g)) {
      let v: unknown = busy;
      for (const part of (path ?? '').split('.')) v = (v as Record<string, unknown>)?.[part];
      t.not(v, undefined, `${key}: value_json.${path}`);
    }
  }
  t.same(discovery.components.line_select?.options, ['appliance', 'front-desk']);
});

t.test('what HA sends on each control passes our command schema', async (t) => {
  const validators = compileCommandValidators();
  const leaf = (c: Record<string, unknown>) =>
    String(c.command_topic).slice(topics.commandBase.length + 1) as CommandName;
  const c = discovery.components;
  const sent: [CommandName, string][] = [
    ...((c.mode?.options as string[]) ?? []).map(
      (o) =>
        [leaf(c.mode ?? {}), String(c.mode?.command_template).replace('{{ value }}', o)] as [
          CommandName,
          string,
        ],
    ),
    [leaf(c.force_front_desk ?? {}), String(c.force_front_desk?.payload_on)],
    [leaf(c.force_front_desk ?? {}), String(c.force_front_desk?.payload_off)],
    [leaf(c.reload_flow ?? {}), String(c.reload_flow?.payload_press)],
  ];
  t.equal(sent.length, 5);
  for (const [name, payload] of sent) {
    t.ok(validators[name](JSON.parse(payload)), `${name} ${payload}`);
  }
});

t.test('controls follow the allow-list; no version means no sw_version', async (t) => {
  const narrow = resolveMqttOptions({ url: 'mqtt://b', deviceId: 'l2', allowedCommands: ['mode'] });
  const d = buildDiscovery(narrow, mqttTopics(narrow), undefined);
  t.ok(d.components.mode);
  t.notOk(d.components.force_front_desk);
  t.notOk(d.components.reload_flow);
  t.notOk('sw_version' in d.device);
  t.notOk('sw_version' in d.origin);
});
