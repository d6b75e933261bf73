import { findHeaderChip, type GpioChipInfo, sysfsNumber } from '../gpio-chips/gpio-chip-info.js';
import { readSysfsChips } from '../gpio-chips/read-sysfs-chips.js';
import type { OutputLine, RelayBackend } from '../gpio-relays.js';
import type { RelayRole } from '../relays-port.js';
import type { FailSafePlan } from '../watchdog/fail-safe-plan.js';
import { SysfsGpioPin } from './sysfs-gpio-pin.js';

export interface SysfsBackendOptions {
  /** `/sys/class/gpio`, or a fake tree in tests. */
  root: string;
  activeLow: boolean;
  /** Header chip labels to accept; the Raspberry Pi ones when absent. */
  chipLabels?: readonly string[];
  exportTimeoutMs?: number;
}

/**
 * Relays through sysfs files that we write ourselves rather than through `onoff`: onoff's
 * root path is a module constant and its export waits in a synchronous spin, so it can be
 * tested only against the real /sys (see docs/decisions.md).
 */
export class SysfsBackend implements RelayBackend {
  readonly kind = 'sysfs';
  readonly #options: SysfsBackendOptions;
  readonly #valuePaths = new Map<RelayRole, string>();
  #chip: GpioChipInfo | null = null;

  constructor(options: SysfsBackendOptions) {
    this.#options = options;
  }

  /** The chip found by `prepare()`: `linekeeper relays probe` prints it. */
  chip(): GpioChipInfo | null {
    return this.#chip;
  }

  async prepare(): Promise<void> {
    const chips = await readSysfsChips(this.#options.root);
    this.#chip = findHeaderChip(chips, this.#options.root, this.#options.chipLabels);
  }

  async open(role: RelayRole, bcm: number): Promise<OutputLine> {
    if (!this.#chip) throw new Error('SysfsBackend.open() before prepare()');
    const number = sysfsNumber(this.#chip, role, bcm);
    const pin = new SysfsGpioPin(
      this.#options.root,
      number,
      this.#options.activeLow,
      this.#options.exportTimeoutMs,
    );
    await pin.claim();
    this.#valuePaths.set(role, pin.valuePath);
    return pin;
  }

  failSafePlan(role: RelayRole): FailSafePlan | null {
    const valuePath = this.#valuePaths.get(role);
    return valuePath ? { kind: 'sysfs-write', valuePath } : null;
  }
}
