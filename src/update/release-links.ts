import { existsSync, lstatSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { replaceSymlink } from '../shared/write-file-atomic.js';
import { LAYOUT_NAMES, type ReleaseLayout, releaseLinkTarget } from './release-layout.js';

/** The release id a layout link points at, or null when the link is missing. */
export function linkedRelease(link: string): string | null {
  try {
    return basename(readlinkSync(link));
  } catch {
    return null;
  }
}

/** Switches `link` to a release in one rename. */
export function pointAt(link: string, id: string): void {
  replaceSymlink(link, releaseLinkTarget(id));
}

/**
 * <appDir>/<entry> -> current/<entry> for every top-level entry of the current release, so the
 * paths outside (the units' /opt/linekeeper/dist/cli/main.js, /opt/linekeeper/README.md) follow
 * `current` without being edited. Existing links are left alone: they already point through
 * `current`.
 */
export function ensureCompatLinks(layout: ReleaseLayout): void {
  for (const entry of readdirSync(layout.current)) {
    if (LAYOUT_NAMES.has(entry)) continue;
    const link = join(layout.appDir, entry);
    const stat = lstatSync(link, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) continue;
    if (stat) rmSync(link, { recursive: true, force: true });
    replaceSymlink(link, `current/${entry}`);
  }
}

/** Deletes every release but the current and the previous one, and leftovers of cut-off runs. */
export function pruneReleases(layout: ReleaseLayout): string[] {
  const keep = new Set([linkedRelease(layout.current), linkedRelease(layout.previous)]);
  const removed: string[] = [];
  if (!existsSync(layout.releasesDir)) return removed;
  for (const id of readdirSync(layout.releasesDir)) {
    if (keep.has(id)) continue;
    rmSync(join(layout.releasesDir, id), { recursive: true, force: true });
    if (!id.startsWith('.')) removed.push(id);
  }
  return removed;
}

/** `version`, or `version+2`, `version+3` ... when a release of that version is kept already. */
export function freeReleaseId(layout: ReleaseLayout, version: string): string {
  if (!existsSync(join(layout.releasesDir, version))) return version;
  for (let n = 2; ; n++) {
    const id = `${version}+${n}`;
    if (!existsSync(join(layout.releasesDir, id))) return id;
  }
}
