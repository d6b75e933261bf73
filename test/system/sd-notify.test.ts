import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { silentLogger } from '../../src/shared/logger.js';
import {
  openDatagramNotifyTransport,
  socketAddress,
} from '../../src/system/datagram-notify-transport.js';
import type { NotifyTransport } from '../../src/system/notify-transport.js';
import { notifySettingsFromEnv, SystemdNotifier } from '../../src/system/sd-notify.js';
import { hasCommand } from '../ci/run-command.js';
import { ManualClock } from '../line/modem/helpers/manual-clock.js';
import { type DatagramReceiver, startDatagramReceiver } from './datagram-receiver.js';

const skip = hasCommand('python3')
  ? false
  : process.env.CI
    ? false
    : 'python3 is not installed (it binds the test notify socket)';

function socketDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'lk-notify-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function receiver(t: Test, socket: string): Promise<DatagramReceiver> {
  const r = await startDatagramReceiver(socket);
  t.teardown(() => r.close());
  return r;
}

t.test('settings come from the environment systemd sets', async (t) => {
  t.equal(notifySettingsFromEnv({}, 42), null, 'no NOTIFY_SOCKET: not under Type=notify');
  t.same(notifySettingsFromEnv({ NOTIFY_SOCKET: '/run/systemd/notify' }, 42), {
    socket: '/run/systemd/notify',
    pingEveryMs: null,
  });
  t.same(
    notifySettingsFromEnv(
      { NOTIFY_SOCKET: '@n', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' },
      42,
    ),
    { socket: '@n', pingEveryMs: 15_000 },
    'pings at half of WatchdogSec=',
  );
  t.equal(
    notifySettingsFromEnv({ NOTIFY_SOCKET: '/s', WATCHDOG_USEC: '30000000', WATCHDOG_PID: '7' }, 42)
      ?.pingEveryMs,
    null,
    'a watchdog meant for another process (our parent) is not ours to feed',
  );
  t.equal(
    notifySettingsFromEnv({ NOTIFY_SOCKET: '/s', WATCHDOG_USEC: 'soon' }, 42)?.pingEveryMs,
    null,
  );
});

t.test('a socket address that cannot exist is refused with a clear error', async (t) => {
  t.throws(() => socketAddress(`/${'x'.repeat(200)}`), { code: 'SD_NOTIFY_BAD_SOCKET' });
  t.throws(() => socketAddress('@'), { code: 'SD_NOTIFY_BAD_SOCKET' });
  t.equal(socketAddress('/run/x').length, 2 + 7, 'family, path and its NUL');
  t.equal(socketAddress('@x').subarray(2).toString('latin1'), '\0x', 'abstract: leading NUL');
});

t.test(
  'datagrams reach a real unix datagram socket, by path and abstract name',
  { skip },
  async (t) => {
    for (const socket of [join(socketDir(t), 'notify'), `@lk-notify-test-${process.pid}`]) {
      const r = await receiver(t, socket);
      const transport = await openDatagramNotifyTransport(socket);
      transport.send('READY=1\nSTATUS=answering calls');
      transport.send('WATCHDOG=1');
      t.same(await r.waitFor(2), ['READY=1\nSTATUS=answering calls', 'WATCHDOG=1'], socket);
      transport.close();
      t.throws(() => transport.send('WATCHDOG=1'), { code: 'SD_NOTIFY_CLOSED' });
    }
  },
);

t.test('a socket nobody listens on is a specific error naming the socket', async (t) => {
  const socket = join(socketDir(t), 'gone');
  const transport = await openDatagramNotifyTransport(socket);
  t.teardown(() => transport.close());
  t.throws(() => transport.send('READY=1'), {
    code: 'SD_NOTIFY_SEND_FAILED',
    message: new RegExp(`READY=1.*${socket}.*ENOENT`),
  });
});

t.test('without NOTIFY_SOCKET every call is a no-op and nothing is loaded', async (t) => {
  let opened = false;
  const clock = new ManualClock();
  const notifier = new SystemdNotifier({
    settings: null,
    healthProblems: () => [],
    logger: silentLogger(),
    openTransport: async () => {
      opened = true;
      throw new Error('must not open');
    },
    timers: clock,
  });
  await notifier.start();
  notifier.ready('answering');
  notifier.status('x');
  notifier.stopping('bye');
  await notifier.stop();
  t.equal(notifier.enabled(), false);
  t.equal(opened, false);
  t.equal(clock.pending, 0, 'no watchdog timer');
});

/** A notifier on a manual clock, sending to the real socket, with health the test controls. */
async function rig(t: Test, pingEveryMs: number | null) {
  const socket = join(socketDir(t), 'notify');
  const r = await receiver(t, socket);
  const clock = new ManualClock();
  const health = { problems: [] as string[] };
  const notifier = new SystemdNotifier({
    settings: { socket, pingEveryMs },
    healthProblems: () => health.problems,
    logger: silentLogger(),
    timers: clock,
  });
  await notifier.start();
  t.teardown(() => notifier.stop());
  return { r, clock, health, notifier };
}

t.test('READY once started, then WATCHDOG pings only while healthy', { skip }, async (t) => {
  const { r, clock, health, notifier } = await rig(t, 15_000);
  t.equal(clock.pending, 0, 'no pings before READY: systemd is still waiting for the start');
  notifier.ready('answering calls on the modem line');
  await clock.advance(30_000);
  t.same(await r.waitFor(3), [
    'READY=1\nSTATUS=answering calls on the modem line',
    'WATCHDOG=1',
    'WATCHDOG=1',
  ]);

  health.problems = ['line-down'];
  await clock.advance(60_000);
  t.same(
    (await r.waitFor(4)).slice(3),
    ['STATUS=unhealthy (line-down): line on the front desk'],
    'the line went down: one status, no pings for four intervals',
  );

  health.problems = [];
  await clock.advance(15_000);
  t.same((await r.waitFor(5)).slice(4), ['WATCHDOG=1\nSTATUS=answering calls on the modem line']);

  notifier.stopping('stopping: line back on the front desk');
  await clock.advance(60_000);
  t.same((await r.waitFor(6)).slice(5), [
    'STOPPING=1\nSTATUS=stopping: line back on the front desk',
  ]);
  t.equal(clock.pending, 0, 'no pings while stopping');
  t.equal(r.messages.length, 6);
});

t.test('a throwing health check counts as unhealthy', async (t) => {
  const clock = new ManualClock();
  const sent: string[] = [];
  const notifier = new SystemdNotifier({
    settings: { socket: '/run/systemd/notify', pingEveryMs: 1000 },
    healthProblems: () => {
      throw new Error('database is locked');
    },
    logger: silentLogger(),
    timers: clock,
    openTransport: async () => ({ send: (m) => sent.push(m), close: () => {} }),
  });
  await notifier.start();
  t.teardown(() => notifier.stop());
  notifier.ready('up');
  await clock.advance(3000);
  t.same(sent, [
    'READY=1\nSTATUS=up',
    'STATUS=unhealthy (health check failed: database is locked): line on the front desk',
  ]);
});

t.test(
  'without WatchdogSec= there are no pings; status lines stay one line',
  { skip },
  async (t) => {
    const { r, clock, notifier } = await rig(t, null);
    notifier.ready('up');
    notifier.status('calls today: 3\nlast: 12:00');
    await clock.advance(600_000);
    t.same(await r.waitFor(2), ['READY=1\nSTATUS=up', 'STATUS=calls today: 3 last: 12:00']);
    t.equal(clock.pending, 0);
  },
);

t.test('a lost socket does not take the appliance down', async (t) => {
  const clock = new ManualClock();
  const sent: string[] = [];
  const notifier = new SystemdNotifier({
    settings: { socket: '/nowhere', pingEveryMs: 1000 },
    healthProblems: () => [],
    logger: silentLogger(),
    timers: clock,
    openTransport: async (): Promise<NotifyTransport> => ({
      send: (m) => {
        sent.push(m);
        throw new Error('ECONNREFUSED');
      },
      close: () => {},
    }),
  });
  await notifier.start();
  t.doesNotThrow(() => notifier.ready('up'));
  await clock.advance(2000);
  t.equal(sent.length, 3, 'it keeps trying on schedule');
  await notifier.stop();
});
