import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LinekeeperError } from '../shared/errors.js';

export class DeviceSecretError extends LinekeeperError {}

/**
 * The per-device key for pseudonymising numbers. Kept in its own file (mode 0600) outside the
 * database, so a copied database alone does not let anyone test phone numbers against it.
 * Created on first use; never rotated silently, because that would split every caller's history.
 */
export function loadOrCreateDeviceSecret(file: string): Buffer {
  try {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) {
      throw new DeviceSecretError(
        'DEVICE_SECRET_CORRUPT',
        `device secret ${file} is damaged (expected 64 hex characters); restore it from backup. Deleting it starts a new secret and old caller hashes will no longer match`,
      );
    }
    return Buffer.from(hex, 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (error instanceof DeviceSecretError) throw error;
      throw new DeviceSecretError(
        'DEVICE_SECRET_UNREADABLE',
        `cannot read device secret ${file}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  const secret = randomBytes(32);
  // Written whole under a temporary name, then linked into place: a second process starting at
  // the same moment either wins the link or reads the complete winner, never a half file.
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o750 });
    writeFileSync(temp, `${secret.toString('hex')}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateDeviceSecret(file);
    throw new DeviceSecretError(
      'DEVICE_SECRET_UNWRITABLE',
      `cannot create device secret ${file}: ${(error as Error).message}; check that the data directory is writable`,
      { cause: error },
    );
  } finally {
    rmSync(temp, { force: true });
  }
  return secret;
}
