import t from 'tap';
import {
  blinkUntilAborted,
  PROVISIONING_FAILED_PATTERN,
  provisioningLedRole,
} from '../../src/provisioning/provisioning-led.js';
import type { Relays } from '../../src/relays/relays-port.js';
import { SimulatedRelays } from '../../src/relays/simulated/simulated-relays.js';
import { VirtualClock } from '../../src/shared/virtual-clock.js';

t.test('the failure pattern is three short flashes then a pause, until stopped', async (t) => {
  const clock = new VirtualClock();
  const relays = new SimulatedRelays(clock);
  const stop = new AbortController();
  const blinking = blinkUntilAborted(
    relays,
    'fault-led',
    PROVISIONING_FAILED_PATTERN,
    clock,
    stop.signal,
  );
  await clock.run(
    Promise.all([
      blinking,
      (async () => {
        await clock.sleep(5000); // two full cycles of 2.5 s
        stop.abort();
      })(),
    ]),
  );
  const led = relays.history.filter((h) => h.role === 'fault-led');
  const onsAt = led.filter((h) => h.energised).map((h) => h.atMs);
  t.same(onsAt, [0, 400, 800, 2500, 2900, 3300], 'three flashes per 2.5 s cycle');
  t.equal(relays.get('fault-led'), false, 'the LED is left off');
  t.same(
    relays.history.filter((h) => h.role !== 'fault-led'),
    [],
    'no other relay is touched (line-select above all)',
  );
});

t.test('a relay error ends the pattern instead of the appliance', async (t) => {
  const clock = new VirtualClock();
  const errors: unknown[] = [];
  let sets = 0;
  const failing = {
    set: async () => {
      sets++;
      if (sets === 3) throw new Error('gpio busy');
    },
  } as unknown as Relays;
  await clock.run(
    blinkUntilAborted(
      failing,
      'status-led',
      PROVISIONING_FAILED_PATTERN,
      clock,
      new AbortController().signal,
      (e) => errors.push(e),
    ),
  );
  t.match(errors, [{ message: 'gpio busy' }]);
});

t.test('the fault LED is preferred; the status LED stands in; none means no pattern', async (t) => {
  t.equal(provisioningLedRole({ faultLed: 22, statusLed: 27 }), 'fault-led');
  t.equal(provisioningLedRole({ faultLed: null, statusLed: 27 }), 'status-led');
  t.equal(provisioningLedRole({ faultLed: null, statusLed: null }), null);
});

t.test('the appliance blinks only while the last boot file was rejected', async (t) => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { writeProvisioningStatus } = await import('../../src/provisioning/provisioning-status.js');
  const { startProvisioningFaultLed } = await import(
    '../../src/provisioning/provisioning-fault-led.js'
  );
  const dir = mkdtempSync(join(tmpdir(), 'lk-led-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new VirtualClock();
  const relays = new SimulatedRelays(clock);
  const pins = { faultLed: 22, statusLed: null };
  t.equal(
    startProvisioningFaultLed(relays, clock, pins, dir, () => {}),
    null,
    'never provisioned',
  );
  const status = { at: 'x', file: 'f', changed: [], warnings: [] };
  writeProvisioningStatus(dir, { ...status, ok: true, errors: [] });
  t.equal(
    startProvisioningFaultLed(relays, clock, pins, dir, () => {}),
    null,
    'applied',
  );
  writeProvisioningStatus(dir, {
    ...status,
    ok: false,
    errors: [{ path: 'site', message: 'bad' }],
  });
  t.equal(
    startProvisioningFaultLed(relays, clock, { faultLed: null, statusLed: null }, dir, () => {}),
    null,
    'no LED wired',
  );
  const stop = startProvisioningFaultLed(relays, clock, pins, dir, () => {});
  t.ok(stop, 'rejected: blinking');
  await clock.run(clock.sleep(3000));
  stop?.abort();
  await clock.run(clock.sleep(10));
  t.ok(relays.history.filter((h) => h.role === 'fault-led' && h.energised).length >= 3);
  t.equal(relays.get('fault-led'), false, 'off once stopped');
});
