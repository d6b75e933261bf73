import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Activation, activateRelease } from './activate-release.js';
import { UpdateError } from './update-errors.js';

/**
 * For scripts/install.sh: it copies the app it was given into a folder next to /opt/linekeeper,
 * then this makes it the current release, with the same checks and switch as an update. No
 * manifest: install.sh built or was handed node_modules for this very machine.
 */
export function installStagedDir(
  stagedDir: string,
  options: { root: string; configFile: string; nodeBin: string },
): Activation & { version: string } {
  let version: string;
  try {
    version = (
      JSON.parse(readFileSync(join(stagedDir, 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch (error) {
    throw new UpdateError(
      'UPDATE_BAD_RELEASE',
      `${stagedDir} has no readable package.json: ${(error as Error).message}`,
    );
  }
  return { ...activateRelease({ ...options, stagedDir, version }), version };
}
