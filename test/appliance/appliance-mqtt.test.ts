import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import t from 'tap';
import { Appliance } from '../../src/appliance/appliance.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { SimulatedCaller } from '../../src/line/simulated/simulated-caller.js';
import { SimulatedLine } from '../../src/line/simulated/simulated-line.js';
import { SystemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { startMosquitto } from '../helpers/mosquitto.js';

/**
 * The running appliance with a real Mosquitto: a call on its (simulated) line is published as
 * events and state, remote commands change its behaviour, and stopping it says `offline`.
 * Prompts are short so the call takes a few real seconds.
 */
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
      one: { dtmf: "1", next: desk }
  desk: { type: transfer, target: reception, answerTimeoutSeconds: 5, onNoAnswer: bye }
  bye: { type: hangup }
`;

async function collect(client: MqttClient, topic: string) {
  const messages: { topic: string; payload: string; retain: boolean }[] = [];
  client.on('message', (topic, payload, packet) =>
    messages.push({ topic, payload: payload.toString(), retain: packet.retain }),
  );
  await client.subscribeAsync(topic, { qos: 1 });
  return messages;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

t.test(
  'a call on the appliance is reported over MQTT; commands work; stop says offline',
  async (t) => {
    const broker = await startMosquitto();
    t.teardown(() => broker.dispose());
    const dir = mkdtempSync(join(tmpdir(), 'lk-appliance-'));
    writeFileSync(join(dir, 'flow.yaml'), flow);
    const config = parseConfigText(
      `dataDir: ${dir}/var
device: { id: front-desk-1 }
call: { flow: ${dir}/flow.yaml, emergencyNotice: null }
web: { enabled: false }
mqtt:
  enabled: true
  url: ${broker.url}
  username: ${broker.username}
  password: ${broker.password}
`,
      'test',
    );
    const appliance = new Appliance(config, silentLogger());
    await appliance.start();
    let stopped = false;
    t.teardown(async () => {
      if (!stopped) await appliance.stop();
    });

    const watcher = await connectAsync(broker.url, {
      username: broker.username,
      password: broker.password,
      reconnectPeriod: 0,
    });
    t.teardown(() => watcher.endAsync());
    const messages = await collect(watcher, 'linekeeper/front-desk-1/#');
    const lastState = () => {
      const states = messages.filter((m) => m.topic.endsWith('/state'));
      return states.length > 0
        ? (JSON.parse(states.at(-1)!.payload) as Record<string, unknown>)
        : undefined;
    };
    await until('online', () =>
      messages.find((m) => m.topic.endsWith('/availability') && m.payload === 'online'),
    );
    t.match(lastState(), {
      device: 'front-desk-1',
      callsToday: 0,
      mode: 'day',
      frontDeskForced: false,
      relays: { lineSelect: 'appliance' },
    });

    const line = appliance.line();
    if (!(line instanceof SimulatedLine)) throw new Error('expected the simulated line');
    const caller = new SimulatedCaller(line, null, new SystemClock(), {
      steps: [{ kind: 'dtmf', digits: '1' }],
      thinkMs: 100,
    });
    await line.placeCall(caller, { number: '+49 30 1234567' });
    await until('call-ended event', () =>
      messages.find((m) => m.topic.endsWith('/event') && m.payload.includes('call-ended')),
    );
    const events = messages
      .filter((m) => m.topic.endsWith('/event'))
      .map((m) => JSON.parse(m.payload) as { type?: string; event?: string; seq: number });
    const names = events.map((e) => e.type ?? e.event);
    t.same(names, ['call-started', 'menu-choice', 'routed', 'call-ended'], 'events in order');
    t.same(
      events.map((e) => e.seq),
      [...events.keys()].map((i) => events[0]!.seq + i),
      'no gaps',
    );
    t.notMatch(JSON.stringify(messages), /1234567/, 'the caller number never reaches the broker');
    await until('calls today = 1', () => lastState()?.callsToday === 1);

    await watcher.publishAsync(
      'linekeeper/front-desk-1/command/mode',
      JSON.stringify({ mode: 'night' }),
      { qos: 1 },
    );
    await until('night mode in state', () => lastState()?.mode === 'night');
    await watcher.publishAsync(
      'linekeeper/front-desk-1/command/front-desk',
      JSON.stringify({ force: true }),
      { qos: 1 },
    );
    await until('front desk forced', () => lastState()?.frontDeskForced === true);
    t.match(
      lastState(),
      { relays: { lineSelect: 'front-desk' } },
      'the relay hands the line to the front desk',
    );
    const results = await until('two command results', () => {
      const r = messages.filter((m) => m.topic.endsWith('/command-result'));
      return r.length >= 2 ? r : undefined;
    });
    t.ok(
      results.every((r) => (JSON.parse(r.payload) as { ok: boolean }).ok),
      'both commands succeeded',
    );

    // While forced to the front desk, a ringing line is left alone.
    const ignored = new SimulatedCaller(line, null, new SystemClock(), { steps: [] });
    t.equal(await line.placeCall(ignored, null, 2), 'missed');

    await appliance.stop();
    stopped = true;
    await until('offline', () =>
      messages.find((m) => m.topic.endsWith('/availability') && m.payload === 'offline'),
    );
  },
);
