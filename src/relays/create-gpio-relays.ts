import type { Clock } from '../shared/clock.js';
import { GpioRelays, type RelayBackend } from './gpio-relays.js';
import { GpiochipBackend } from './gpiochip/gpiochip-backend.js';
import { GpiodTools, type GpiodToolsOptions } from './gpiochip/gpiod-tools.js';
import { type GpioDriverChoice, probeRelayDriver } from './probe-relay-driver.js';
import type { RelayWiring } from './relay-wiring.js';
import { SysfsBackend } from './sysfs/sysfs-backend.js';
import { DEFAULT_SYSFS_ROOT } from './sysfs/sysfs-paths.js';

export interface GpioRelaySettings {
  driver: GpioDriverChoice;
  wiring: RelayWiring;
  /** Header chip labels; the Raspberry Pi ones when absent or empty. */
  chipLabels?: readonly string[];
  sysfsRoot?: string;
  devDir?: string;
  gpiod?: GpiodToolsOptions;
}

/** The backend for a driver choice, probing when the choice is `auto`. */
export async function createRelayBackend(settings: GpioRelaySettings): Promise<RelayBackend> {
  const sysfsRoot = settings.sysfsRoot ?? DEFAULT_SYSFS_ROOT;
  const tools = new GpiodTools(settings.gpiod);
  const labels =
    settings.chipLabels && settings.chipLabels.length > 0 ? settings.chipLabels : undefined;
  const driver =
    settings.driver === 'auto'
      ? await probeRelayDriver({ devDir: settings.devDir ?? '/dev', sysfsRoot, tools })
      : settings.driver;
  if (driver === 'gpiochip') {
    return new GpiochipBackend({
      tools,
      activeLow: settings.wiring.activeLow,
      ...(labels ? { chipLabels: labels } : {}),
    });
  }
  return new SysfsBackend({
    root: sysfsRoot,
    activeLow: settings.wiring.activeLow,
    ...(labels ? { chipLabels: labels } : {}),
  });
}

/** Relays on real GPIO, not yet started (the composition root starts them in order). */
export async function createGpioRelays(
  settings: GpioRelaySettings,
  clock: Clock,
): Promise<GpioRelays> {
  return new GpioRelays(await createRelayBackend(settings), settings.wiring, clock);
}
