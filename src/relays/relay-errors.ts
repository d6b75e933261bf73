import { LinekeeperError } from '../shared/errors.js';

/** Base for every relay/GPIO problem; the message says what to check on the box. */
export class RelayError extends LinekeeperError {}

/** No GPIO chip with a Raspberry Pi main-controller label: wrong board, or a label to configure. */
export class GpioChipNotFoundError extends RelayError {
  constructor(where: string, wanted: readonly string[], found: readonly string[]) {
    super(
      'GPIO_CHIP_NOT_FOUND',
      `no GPIO chip labelled ${wanted.join(' or ')} under ${where} (found: ${
        found.length > 0 ? found.join(', ') : 'none'
      }); on a Raspberry Pi check the kernel, on another board add the label of the header chip to relays.chipLabels`,
    );
  }
}

export class GpioPinOutOfRangeError extends RelayError {
  constructor(role: string, bcm: number, chip: string, lines: number) {
    super(
      'GPIO_PIN_OUT_OF_RANGE',
      `relay ${role} is on BCM ${bcm}, but chip ${chip} has only lines 0-${lines - 1}: fix relays.pins in the config`,
    );
  }
}

/** Neither the GPIO character device nor sysfs GPIO is usable on this machine. */
export class GpioUnavailableError extends RelayError {
  constructor(detail: string) {
    super(
      'GPIO_UNAVAILABLE',
      `no usable GPIO interface: ${detail}; set relays.driver to simulated on a machine without relays`,
    );
  }
}

/** A sysfs GPIO file could not be read or written. */
export class SysfsGpioError extends RelayError {
  constructor(action: string, path: string, cause: unknown) {
    super('GPIO_SYSFS_FAILED', `${action} ${path} failed: ${explainErrno(cause)}`, { cause });
  }
}

/** A libgpiod tool (gpioset, gpiodetect) failed or is missing. */
export class GpiodToolError extends RelayError {
  constructor(message: string, cause?: unknown) {
    super('GPIO_GPIOD_FAILED', message, cause === undefined ? undefined : { cause });
  }
}

export function explainErrno(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code}): run linekeeper as a user in the gpio group, or as root`;
    case 'EBUSY':
      return 'the pin is in use by another driver or process (EBUSY): check dtoverlay lines in config.txt and other GPIO programs';
    case 'EINVAL':
      return 'the kernel rejected the GPIO number (EINVAL): the pin does not exist on this chip';
    case 'ENOENT':
      return 'no such file (ENOENT): the kernel has no sysfs GPIO here (CONFIG_GPIO_SYSFS) or the pin is not exported';
    default:
      return (cause as Error | undefined)?.message ?? String(cause);
  }
}
