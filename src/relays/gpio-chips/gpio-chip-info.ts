import { GpioChipNotFoundError, GpioPinOutOfRangeError } from '../relay-errors.js';

/** One GPIO controller as the kernel describes it. */
export interface GpioChipInfo {
  /** `gpiochip512` under sysfs, `gpiochip0` for the character device. */
  name: string;
  label: string;
  /** First sysfs GPIO number of the chip (0 for a character-device chip: offsets are local). */
  base: number;
  ngpio: number;
}

/**
 * Labels of the controller behind the 40-pin header, by model: Pi 1-3 and Zero, Pi 4/400/CM4,
 * Pi 5 (the RP1 south bridge). The firmware expander (`raspberrypi-exp-gpio`) and the Pi 5's
 * SoC GPIOs (`gpio-brcmstb@...`) are deliberately not here: relays are never wired to them.
 */
export const PI_HEADER_CHIP_LABELS: readonly string[] = [
  'pinctrl-bcm2835',
  'pinctrl-bcm2711',
  'pinctrl-rp1',
];

/** The header chip, or a typed error that lists what the kernel does offer. */
export function findHeaderChip(
  chips: readonly GpioChipInfo[],
  where: string,
  labels: readonly string[] = PI_HEADER_CHIP_LABELS,
): GpioChipInfo {
  for (const label of labels) {
    const chip = chips.find((c) => c.label === label);
    if (chip) return chip;
  }
  throw new GpioChipNotFoundError(
    where,
    labels,
    chips.map((c) => `${c.name} [${c.label}]`),
  );
}

/** BCM numbers are the header chip's line offsets; sysfs adds the chip's base (512+ on 6.6). */
export function lineOffset(chip: GpioChipInfo, role: string, bcm: number): number {
  if (!Number.isInteger(bcm) || bcm < 0 || bcm >= chip.ngpio)
    throw new GpioPinOutOfRangeError(role, bcm, `${chip.name} [${chip.label}]`, chip.ngpio);
  return bcm;
}

export function sysfsNumber(chip: GpioChipInfo, role: string, bcm: number): number {
  return chip.base + lineOffset(chip, role, bcm);
}
