import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startMosquitto } from '../../helpers/mosquitto.js';
import { sinkOptions, waitFor, watch } from './sink-fixtures.js';

const child = fileURLToPath(new URL('./sink-process.ts', import.meta.url));
// The child needs the same TypeScript loader tap gave this process.
const loader = process.execArgv.filter((a) => a.includes('typescript'));

t.test(
  'the broker publishes the retained offline Last Will when the appliance is killed',
  async (t) => {
    const broker = await startMosquitto();
    t.teardown(() => broker.dispose());
    const watcher = await watch(broker, ['linekeeper/killed/availability']);
    t.teardown(watcher.end);

    const proc = spawn(
      process.execPath,
      [...loader, child, JSON.stringify(sinkOptions(broker, 'killed'))],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    t.teardown(() => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    });
    let out = '';
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    await waitFor('child connected', () => out.includes('connected'), 20_000);
    await waitFor('online', () => watcher.messages.length >= 1);
    t.same(
      watcher.messages.map((m) => m.payload),
      ['online'],
    );

    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
    await waitFor('last will', () => watcher.messages.length >= 2);
    t.equal(watcher.messages[1]?.payload, 'offline', 'watchers are told at once');

    const late = await watch(broker, ['linekeeper/killed/availability', 'linekeeper/killed/state']);
    t.teardown(late.end);
    await waitFor('retained', () => late.messages.length >= 2);
    const availability = late.messages.find((m) => m.topic.endsWith('/availability'));
    t.same(availability, {
      topic: 'linekeeper/killed/availability',
      payload: 'offline',
      retain: true,
    });
    t.ok(
      late.messages.find((m) => m.topic.endsWith('/state'))?.retain,
      'last state still retained',
    );
    t.match(broker.log(), /linekeeper-killed/, 'the broker saw the client by its stable id');
  },
);
