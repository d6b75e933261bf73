import t from 'tap';
import { FloodGuard } from '../../src/guard/flood-guard.js';
import { DEFAULT_GUARD_SETTINGS } from '../../src/guard/guard-settings.js';
import { guardStatus } from '../../src/guard/guard-status.js';
import { buildDiscovery } from '../../src/status/mqtt/ha-discovery.js';
import { resolveMqttOptions } from '../../src/status/mqtt/mqtt-options.js';
import { mqttTopics } from '../../src/status/mqtt/mqtt-topics.js';
import { toWireStatus } from '../../src/status/mqtt/wire-payloads.js';
import { STATUS } from '../web/web-fixtures.js';

const T0 = Date.UTC(2026, 2, 2, 9, 0);
const caller = (n: number) => ({ hash: `hash-${n}`, hint: String(n).slice(-2), withheld: null });

t.test('the status carries a flood while it lasts, and the blocks in force', async (t) => {
  let now = T0;
  const guard = new FloodGuard({ settings: DEFAULT_GUARD_SETTINGS, clock: { now: () => now } });
  t.same(guardStatus(null), {
    state: 'off',
    floodSince: null,
    screened: 0,
    challenged: 0,
    refused: 0,
    blockedNumbers: 0,
  });
  t.match(guardStatus(guard), { state: 'calm', floodSince: null });
  // Six strangers 30 s apart reach the default floor of the rate rule (6 in 10 minutes).
  for (let i = 0; i < 6; i++) {
    guard.screen(caller(i));
    now += 30_000;
  }
  guard.challengeResult(caller(5), false);
  guard.screen(caller(5));
  t.same(guardStatus(guard), {
    state: 'flood',
    floodSince: new Date(T0 + 150_000).toISOString(),
    screened: 2,
    challenged: 1,
    refused: 1,
    blockedNumbers: 1,
  });
  now += 2 * 3_600_000;
  guard.tick();
  t.same(guardStatus(guard), {
    state: 'calm',
    floodSince: null,
    screened: 0,
    challenged: 0,
    refused: 0,
    blockedNumbers: 0,
  });
});

t.test('MQTT state and Home Assistant discovery carry the guard', async (t) => {
  const flood = {
    state: 'flood' as const,
    floodSince: '2026-03-02T09:01:30.000Z',
    screened: 2,
    challenged: 1,
    refused: 1,
    blockedNumbers: 1,
  };
  t.same(toWireStatus({ ...STATUS, guard: { ...flood, extra: 'x' } as never }).guard, flood);
  t.equal(toWireStatus(STATUS).guard.state, 'off', 'no guard wired reads as off');
  const options = resolveMqttOptions({ url: 'mqtt://b', deviceId: 'reception' });
  const d = buildDiscovery(options, mqttTopics(options), '1');
  t.match(d.components.call_flood, {
    platform: 'binary_sensor',
    device_class: 'problem',
    value_template: "{{ 'ON' if value_json.guard.state == 'flood' else 'OFF' }}",
  });
  t.match(d.components.blocked_numbers, {
    value_template: '{{ value_json.guard.blockedNumbers }}',
  });
});
