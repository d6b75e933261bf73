import { rmSync } from 'node:fs';
import { type Activation, activateRelease, migrateOldLayout } from './activate-release.js';
import { checkConfigWith } from './check-release-config.js';
import { releaseLayout } from './release-layout.js';
import { linkedRelease, pointAt } from './release-links.js';
import {
  checkPlatform,
  peekReleaseManifest,
  readReleaseManifest,
  runningPlatform,
} from './release-manifest.js';
import { APPLIANCE_UNIT, type ServiceControl } from './service-control.js';
import { unpackRelease } from './unpack-release.js';
import { UpdateError } from './update-errors.js';
import { type ChecksumResult, verifyChecksum } from './verify-checksum.js';

export interface UpdateOptions {
  root: string;
  configFile: string;
  nodeBin: string;
  /** null: do not restart (tests, image builds, or a restart the technician does later). */
  service: ServiceControl | null;
  /** Install even when this version is already the current one. */
  force?: boolean;
  platform?: { arch: string; nodeAbi: string };
}

export interface UpdateReport extends Activation {
  version: string;
  checksum: ChecksumResult;
  restarted: boolean;
}

/**
 * `linekeeper update FILE`: checksum, unpack, platform and config checks, switch, restart. If
 * the new release does not come up (systemctl restart fails: no READY=1 within the unit's
 * start timeout), the previous one is switched back and restarted, and the update fails.
 */
export async function updateFromTarball(
  file: string,
  options: UpdateOptions,
): Promise<UpdateReport> {
  const checksum = await verifyChecksum(file);
  const layout = releaseLayout(options.root);
  // Wrong platform or nothing new: refused from release.json alone, before a long unpack.
  const peeked = peekReleaseManifest(file);
  checkPlatform(peeked, options.platform ?? runningPlatform(), file);
  migrateOldLayout(layout);
  const current = linkedRelease(layout.current);
  if (!options.force && current !== null && current.split('+')[0] === peeked.version) {
    throw new UpdateError(
      'UPDATE_ALREADY_CURRENT',
      `${peeked.version} is already the running release (${layout.current}); nothing to do (--force installs it again)`,
    );
  }
  const staged = unpackRelease(file, layout.releasesDir);
  let activation: Activation;
  let version: string;
  try {
    const manifest = readReleaseManifest(staged, file);
    version = manifest.version;
    checkPlatform(manifest, options.platform ?? runningPlatform(), file);
    activation = activateRelease({
      root: options.root,
      stagedDir: staged,
      version,
      configFile: options.configFile,
      nodeBin: options.nodeBin,
    });
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
  const restarted = restartOrRevert(options, activation.previousId);
  return { ...activation, version, checksum, restarted };
}

export interface RollbackReport {
  from: string;
  to: string;
  restarted: boolean;
}

/** `linekeeper update --rollback`: current and previous swap places, then a restart. */
export function rollback(options: Omit<UpdateOptions, 'force' | 'platform'>): RollbackReport {
  const layout = releaseLayout(options.root);
  migrateOldLayout(layout);
  const from = linkedRelease(layout.current);
  const to = linkedRelease(layout.previous);
  if (from === null || to === null) {
    throw new UpdateError(
      'UPDATE_NO_PREVIOUS',
      `there is no previous release to go back to in ${layout.appDir} (only one release was ever installed)`,
    );
  }
  checkConfigWith(`${layout.releasesDir}/${to}`, options.configFile, options.nodeBin);
  pointAt(layout.previous, from);
  pointAt(layout.current, to);
  const restarted = restartOrRevert(options, from);
  return { from, to, restarted };
}

function restartOrRevert(
  options: Pick<UpdateOptions, 'root' | 'service'>,
  fallbackId: string | null,
): boolean {
  if (options.service === null) return false;
  const result = options.service.restart(APPLIANCE_UNIT);
  if (result.ok) return true;
  const layout = releaseLayout(options.root);
  const failed = linkedRelease(layout.current);
  if (fallbackId === null || failed === null) {
    throw new UpdateError(
      'UPDATE_START_FAILED',
      `${APPLIANCE_UNIT} did not start: ${result.detail}`,
    );
  }
  pointAt(layout.previous, failed);
  pointAt(layout.current, fallbackId);
  const again = options.service.restart(APPLIANCE_UNIT);
  throw new UpdateError(
    'UPDATE_START_FAILED',
    `${APPLIANCE_UNIT} did not start on release ${failed} (${result.detail}); switched back to ${fallbackId}${again.ok ? ', which is running again' : ` but that did not start either (${again.detail})`}. See journalctl -u linekeeper`,
  );
}
