import type { ResolvedMqttOptions } from './mqtt-options.js';

/**
 * Every topic the adapter touches, in one place so docs/mqtt.md, Home Assistant discovery and
 * the tests agree. Layout: `<prefix>/<device>/<leaf>`.
 */
export interface MqttTopics {
  /** Retained JSON snapshot of ApplianceStatus. */
  state: string;
  /** Retained `online` / `offline` (the Last Will). */
  availability: string;
  /** Call events, JSON, QoS 1, not retained, in order (`seq`). */
  event: string;
  /** Commands arrive on `<commandBase>/<name>`; the adapter subscribes to `<commandBase>/#`. */
  commandBase: string;
  commandFilter: string;
  /** One JSON result per command received, accepted or refused. */
  commandResult: string;
  /** Home Assistant device-based discovery config. */
  discovery: string;
  /** Home Assistant's birth/will topic. */
  haStatus: string;
}

export function mqttTopics(o: ResolvedMqttOptions): MqttTopics {
  const base = `${o.topicPrefix}/${o.deviceId}`;
  const ha = o.homeAssistant.discoveryPrefix;
  return {
    state: `${base}/state`,
    availability: `${base}/availability`,
    event: `${base}/event`,
    commandBase: `${base}/command`,
    commandFilter: `${base}/command/#`,
    commandResult: `${base}/command-result`,
    discovery: `${ha}/device/${haNodeId(o.deviceId)}/config`,
    haStatus: `${ha}/status`,
  };
}

/** Device ids are already `[A-Za-z0-9_-]`, which is what HA allows in a discovery topic. */
export function haNodeId(deviceId: string): string {
  return `linekeeper_${deviceId}`;
}
