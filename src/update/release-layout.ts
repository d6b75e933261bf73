import { join, resolve } from 'node:path';

/**
 * /opt/linekeeper on the box:
 *
 *   releases/<id>/            one complete app each (dist, node_modules, package.json, ...)
 *   current -> releases/<id>  the one that runs; switched by renaming a new symlink over it
 *   previous -> releases/<id> the one before, for `linekeeper update --rollback`
 *   dist -> current/dist      and the other top-level entries: the units, the `linekeeper`
 *                             wrapper and the docs keep using /opt/linekeeper/dist/cli/main.js
 *
 * Every link is relative, so the same tree works under a test's temporary root. Node resolves
 * the real path of the main script, so a running process keeps loading modules from its own
 * release even after `current` moves on.
 */
export interface ReleaseLayout {
  appDir: string;
  releasesDir: string;
  current: string;
  previous: string;
}

export const APP_DIR = 'opt/linekeeper';
/** Names in appDir that are ours, not compatibility links into the current release. */
export const LAYOUT_NAMES = new Set(['releases', 'current', 'previous']);

export function releaseLayout(root: string): ReleaseLayout {
  const appDir = join(resolve(root), APP_DIR);
  return {
    appDir,
    releasesDir: join(appDir, 'releases'),
    current: join(appDir, 'current'),
    previous: join(appDir, 'previous'),
  };
}

/** The symlink target for a release id, relative to appDir. */
export function releaseLinkTarget(id: string): string {
  return `releases/${id}`;
}
