import type { Relays } from '../relays/relays-port.js';
import type { Clock } from '../shared/clock.js';
import {
  blinkUntilAborted,
  PROVISIONING_FAILED_PATTERN,
  provisioningLedRole,
} from './provisioning-led.js';
import { readProvisioningStatus } from './provisioning-status.js';

/**
 * For the appliance, right after its relays start: while the last boot-partition file was
 * rejected, blink the fault LED (or the status LED) in the "provisioning failed" pattern. The
 * appliance owns the GPIO lines, so the pattern runs in its process, not in the boot unit.
 * Returns the controller that stops it (before the relays stop), or null when all is well.
 */
export function startProvisioningFaultLed(
  relays: Relays,
  clock: Clock,
  pins: { faultLed: number | null; statusLed: number | null },
  stateDir: string,
  onError: (error: unknown) => void,
): AbortController | null {
  const status = readProvisioningStatus(stateDir);
  const role = provisioningLedRole(pins);
  if (status === null || status.ok || role === null) return null;
  const stop = new AbortController();
  void blinkUntilAborted(relays, role, PROVISIONING_FAILED_PATTERN, clock, stop.signal, onError);
  return stop;
}
