import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkConfigWith } from './check-release-config.js';
import { type ReleaseLayout, releaseLayout } from './release-layout.js';
import {
  ensureCompatLinks,
  freeReleaseId,
  linkedRelease,
  pointAt,
  pruneReleases,
} from './release-links.js';
import { UpdateError } from './update-errors.js';

export interface ActivateOptions {
  /** Root of the system: / on the box, a temp dir in tests. */
  root: string;
  /** An unpacked release on the same file system as /opt/linekeeper (moved, not copied). */
  stagedDir: string;
  version: string;
  configFile: string;
  nodeBin: string;
}

export interface Activation {
  id: string;
  releaseDir: string;
  previousId: string | null;
  removed: string[];
}

/**
 * Makes a staged release the current one: moved into releases/, checked against the config by
 * its own check-config, then `previous` and `current` switched, each by one rename. A failed
 * check leaves the running release and its links as they were.
 */
export function activateRelease(options: ActivateOptions): Activation {
  const layout = releaseLayout(options.root);
  migrateOldLayout(layout);
  mkdirSync(layout.releasesDir, { recursive: true });
  const id = freeReleaseId(layout, options.version);
  const releaseDir = join(layout.releasesDir, id);
  renameSync(options.stagedDir, releaseDir);
  try {
    checkConfigWith(releaseDir, options.configFile, options.nodeBin);
  } catch (error) {
    rmSync(releaseDir, { recursive: true, force: true });
    throw error;
  }
  const previousId = linkedRelease(layout.current);
  // previous first: a power cut in between leaves both on the old release, which runs.
  if (previousId !== null && previousId !== id) pointAt(layout.previous, previousId);
  pointAt(layout.current, id);
  ensureCompatLinks(layout);
  return { id, releaseDir, previousId, removed: pruneReleases(layout) };
}

/**
 * Before releases/ existed, install.sh put the app straight into /opt/linekeeper and the one
 * before into /opt/linekeeper.previous. Both become releases, so the paths keep working and a
 * rollback still has somewhere to go.
 */
export function migrateOldLayout(layout: ReleaseLayout): void {
  const dist = lstatSync(join(layout.appDir, 'dist'), { throwIfNoEntry: false });
  if (!dist || dist.isSymbolicLink() || existsSync(layout.releasesDir)) return;
  const moving = `${layout.appDir}.migrating`;
  rmSync(moving, { recursive: true, force: true });
  renameSync(layout.appDir, moving);
  mkdirSync(layout.releasesDir, { recursive: true });
  const oldPrevious = `${layout.appDir}.previous`;
  if (existsSync(join(oldPrevious, 'package.json'))) {
    const id = freeReleaseId(layout, versionIn(oldPrevious));
    renameSync(oldPrevious, join(layout.releasesDir, id));
    pointAt(layout.previous, id);
  }
  const id = freeReleaseId(layout, versionIn(moving));
  renameSync(moving, join(layout.releasesDir, id));
  pointAt(layout.current, id);
  ensureCompatLinks(layout);
}

function versionIn(dir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    if (typeof pkg.version === 'string' && /^[0-9A-Za-z.+-]+$/.test(pkg.version))
      return pkg.version;
  } catch {}
  throw new UpdateError(
    'UPDATE_BAD_RELEASE',
    `${dir} has no readable package.json with a version; move it away and install again`,
  );
}
