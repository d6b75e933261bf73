import type { CommandName, ResolvedMqttOptions } from './mqtt-options.js';
import { haNodeId, type MqttTopics } from './mqtt-topics.js';

/**
 * Home Assistant device-based discovery (HA 2024.11+): one retained message on
 * `<discovery_prefix>/device/<node_id>/config` declares the device and all its entities, so
 * the box appears and disappears in HA as one unit. Full key names, not the abbreviations, so
 * a technician reading `mosquitto_sub` output can follow it.
 */
export interface DiscoveryPayload {
  device: {
    identifiers: string[];
    name: string;
    manufacturer: string;
    model: string;
    sw_version?: string;
  };
  origin: { name: string; sw_version?: string };
  availability: { topic: string; payload_available: string; payload_not_available: string }[];
  qos: 1;
  components: Record<string, Record<string, unknown>>;
}

export function buildDiscovery(
  o: ResolvedMqttOptions,
  topics: MqttTopics,
  version: string | undefined,
): DiscoveryPayload {
  const node = haNodeId(o.deviceId);
  const sw = version === undefined ? {} : { sw_version: version };
  const sensor = (name: string, template: string, extra: Record<string, unknown> = {}) => ({
    platform: 'sensor',
    name,
    state_topic: topics.state,
    value_template: template,
    ...extra,
  });

  const components: Record<string, Record<string, unknown>> = {
    line: sensor('Line', '{{ value_json.line.state }}', { icon: 'mdi:phone-classic' }),
    call: sensor(
      'Call',
      "{{ value_json.currentCall.stage if value_json.currentCall else 'idle' }}",
      { icon: 'mdi:phone-in-talk' },
    ),
    calls_today: sensor('Calls today', '{{ value_json.callsToday }}', {
      state_class: 'total_increasing',
      unit_of_measurement: 'calls',
      icon: 'mdi:phone-log',
    }),
    line_select: sensor('Line routed to', '{{ value_json.relays.lineSelect }}', {
      device_class: 'enum',
      options: ['appliance', 'front-desk'],
      icon: 'mdi:phone-forward',
    }),
    // On (a problem) while the flood guard sees a call flood; attributes carry the counts.
    call_flood: {
      platform: 'binary_sensor',
      name: 'Call flood',
      device_class: 'problem',
      state_topic: topics.state,
      value_template: "{{ 'ON' if value_json.guard.state == 'flood' else 'OFF' }}",
      json_attributes_topic: topics.state,
      json_attributes_template: '{{ value_json.guard | tojson }}',
      icon: 'mdi:phone-alert',
    },
    blocked_numbers: sensor('Blocked numbers', '{{ value_json.guard.blockedNumbers }}', {
      state_class: 'measurement',
      unit_of_measurement: 'numbers',
      icon: 'mdi:phone-cancel',
    }),
    speech: sensor('Speech recognition', '{{ value_json.speech.state }}', {
      entity_category: 'diagnostic',
      icon: 'mdi:account-voice',
    }),
    line_kind: sensor('Line adapter', '{{ value_json.line.kind }}', {
      entity_category: 'diagnostic',
      icon: 'mdi:modem',
    }),
  };

  // Controls only for commands this site allows; their state comes back in the status.
  const allowed = (c: CommandName) => o.allowedCommands.has(c);
  if (allowed('mode')) {
    components.mode = {
      platform: 'select',
      name: 'Mode',
      command_topic: `${topics.commandBase}/mode`,
      command_template: '{"mode":"{{ value }}"}',
      options: ['day', 'night'],
      state_topic: topics.state,
      value_template: '{{ value_json.mode }}',
      icon: 'mdi:theme-light-dark',
    };
  }
  if (allowed('front-desk')) {
    components.force_front_desk = {
      platform: 'switch',
      name: 'Force front desk',
      command_topic: `${topics.commandBase}/front-desk`,
      payload_on: '{"force":true}',
      payload_off: '{"force":false}',
      state_topic: topics.state,
      value_template: "{{ 'ON' if value_json.frontDeskForced else 'OFF' }}",
      icon: 'mdi:desk',
    };
  }
  if (allowed('reload-flow')) {
    components.reload_flow = {
      platform: 'button',
      name: 'Reload call flow',
      command_topic: `${topics.commandBase}/reload-flow`,
      payload_press: '{}',
      entity_category: 'config',
      icon: 'mdi:reload',
    };
  }
  for (const [id, c] of Object.entries(components)) c.unique_id = `${node}_${id}`;

  return {
    device: {
      identifiers: [node],
      name: o.homeAssistant.deviceName,
      manufacturer: 'linekeeper',
      model: 'linekeeper voice appliance',
      ...sw,
    },
    origin: { name: 'linekeeper', ...sw },
    availability: [
      { topic: topics.availability, payload_available: 'online', payload_not_available: 'offline' },
    ],
    qos: 1,
    components,
  };
}
