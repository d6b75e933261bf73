import type { RelayRole, Relays } from '../relays/relays-port.js';
import type { Clock } from '../shared/clock.js';

/** One step of a blink pattern: the LED on or off for a while. */
export interface BlinkStep {
  on: boolean;
  ms: number;
}

/**
 * "Provisioning failed": three short flashes, then a long pause, repeated. Distinct from a
 * steady light or a slow blink, and countable by a technician standing at the box.
 */
export const PROVISIONING_FAILED_PATTERN: readonly BlinkStep[] = [
  { on: true, ms: 200 },
  { on: false, ms: 200 },
  { on: true, ms: 200 },
  { on: false, ms: 200 },
  { on: true, ms: 200 },
  { on: false, ms: 1500 },
];

/** The fault LED when one is wired, else the status LED; null when neither is. */
export function provisioningLedRole(pins: {
  faultLed: number | null;
  statusLed: number | null;
}): RelayRole | null {
  if (pins.faultLed !== null) return 'fault-led';
  if (pins.statusLed !== null) return 'status-led';
  return null;
}

/**
 * Repeats `pattern` on `role` until `signal` aborts, then leaves the LED off. Relay errors end
 * the pattern (an LED must never take the appliance down); they are passed to `onError`.
 */
export async function blinkUntilAborted(
  relays: Relays,
  role: RelayRole,
  pattern: readonly BlinkStep[],
  clock: Clock,
  signal: AbortSignal,
  onError: (error: unknown) => void = () => {},
): Promise<void> {
  if (pattern.length === 0 || pattern.every((s) => s.ms <= 0)) return;
  try {
    while (!signal.aborted) {
      for (const step of pattern) {
        await relays.set(role, step.on);
        if ((await clock.sleep(step.ms, signal)) === 'aborted') break;
      }
    }
  } catch (error) {
    onError(error);
  } finally {
    try {
      await relays.set(role, false);
    } catch (error) {
      onError(error);
    }
  }
}
