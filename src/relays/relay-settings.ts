import type { GpioRelaySettings } from './create-gpio-relays.js';
import type { GpioDriverChoice } from './probe-relay-driver.js';
import { type ConfigRelayPins, wiringFromConfig } from './relay-wiring.js';

/** The `relays` config block as this module reads it (keys the schema may not have yet are optional). */
export interface RelaysConfigLike {
  driver: string;
  pins: ConfigRelayPins;
  activeLow: boolean;
  chipLabels?: readonly string[];
}

const GPIO_DRIVERS: readonly string[] = ['auto', 'sysfs', 'gpiochip'];

/** GPIO settings for a config, or null when the config asks for simulated relays. */
export function gpioSettingsFromConfig(relays: RelaysConfigLike): GpioRelaySettings | null {
  if (!GPIO_DRIVERS.includes(relays.driver)) return null;
  return {
    driver: relays.driver as GpioDriverChoice,
    wiring: wiringFromConfig(relays),
    ...(relays.chipLabels ? { chipLabels: relays.chipLabels } : {}),
  };
}
