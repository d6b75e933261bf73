import { join } from 'node:path';

export const DEFAULT_SYSFS_ROOT = '/sys/class/gpio';

export function sysfsPinDirOf(root: string, number: number): string {
  return join(root, `gpio${number}`);
}
