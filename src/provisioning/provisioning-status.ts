import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputProblem } from '../shared/errors.js';
import { writeFileAtomic } from '../shared/write-file-atomic.js';

/**
 * What the last boot-partition provisioning did, in the state directory, for the web page and
 * the appliance's status LED. `ok: false` stays until a corrected file is applied.
 */
export interface ProvisioningStatus {
  ok: boolean;
  /** When the file was applied or rejected (ISO 8601). */
  at: string;
  /** The boot-partition file that was read. */
  file: string;
  /** Config keys and system settings changed, e.g. "device.name", "network: wifi". */
  changed: string[];
  /** Done, but worth a look (e.g. no cmdline.txt for the Wi-Fi country). */
  warnings: string[];
  /** Why nothing was applied; each names the key, what was wrong and what is valid. */
  errors: InputProblem[];
}

export const PROVISIONING_STATUS_FILE = 'provisioning-status.json';

export function provisioningStatusPath(stateDir: string): string {
  return join(stateDir, PROVISIONING_STATUS_FILE);
}

export function writeProvisioningStatus(stateDir: string, status: ProvisioningStatus): string {
  const file = provisioningStatusPath(stateDir);
  // 0644: written by root at boot, read by the linekeeper service; it holds no secrets.
  writeFileAtomic(file, `${JSON.stringify(status, null, 2)}\n`, { mode: 0o644 });
  return file;
}

/** The last status, or null when provisioning never ran (or the file is unreadable). */
export function readProvisioningStatus(stateDir: string): ProvisioningStatus | null {
  try {
    const value = JSON.parse(readFileSync(provisioningStatusPath(stateDir), 'utf8')) as unknown;
    if (
      typeof value !== 'object' ||
      value === null ||
      typeof (value as { ok?: unknown }).ok !== 'boolean'
    ) {
      return null;
    }
    return value as ProvisioningStatus;
  } catch {
    return null;
  }
}
