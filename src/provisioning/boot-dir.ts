import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The file a technician writes on the FAT partition, and what it becomes once applied. */
export const BOOT_FILE_NAME = 'linekeeper.yaml';
export const APPLIED_FILE_NAME = 'linekeeper.yaml.applied';
/** Next to the file, readable on the laptop when the card is pulled out again. */
export const ERRORS_FILE_NAME = 'linekeeper-errors.txt';

/**
 * The FAT boot partition: /boot/firmware on Raspberry Pi OS bookworm and later, /boot before.
 * `root` lets tests and image builds point at a tree other than the running system.
 */
export function defaultBootDir(root = '/'): string {
  const firmware = join(root, 'boot/firmware');
  return existsSync(join(firmware, 'config.txt')) || existsSync(firmware)
    ? firmware
    : join(root, 'boot');
}
