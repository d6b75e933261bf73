import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateError } from './update-errors.js';

/**
 * Unpacks a release tarball (linekeeper-<version>/... inside) into a fresh staging folder under
 * releases/, on the same file system, so activating it is a rename. GNU tar refuses members
 * with ".." and strips leading "/", so nothing lands outside the folder.
 */
export function unpackRelease(tarball: string, releasesDir: string): string {
  mkdirSync(releasesDir, { recursive: true });
  const staging = join(releasesDir, `.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  const result = spawnSync(
    'tar',
    ['-xzf', tarball, '-C', staging, '--strip-components=1', '--no-same-owner'],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (result.error || result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const why = result.error?.message ?? result.stderr.trim().split('\n').slice(-2).join(' ');
    throw new UpdateError(
      'UPDATE_BAD_RELEASE',
      `${tarball} could not be unpacked (${why}): is it a .tar.gz made by scripts/make-release.sh, and is there room in ${releasesDir}?`,
    );
  }
  if (!existsSync(join(staging, 'dist/cli/main.js'))) {
    rmSync(staging, { recursive: true, force: true });
    throw new UpdateError(
      'UPDATE_BAD_RELEASE',
      `${tarball} has no linekeeper-<version>/dist/cli/main.js: not a linekeeper release`,
    );
  }
  return staging;
}
