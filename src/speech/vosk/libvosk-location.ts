import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../shared/package-root.js';

/** vendor/vosk/<platform> names, as scripts/fetch-libvosk.sh writes them. */
const PLATFORMS: Record<string, string> = {
  x64: 'linux-x86_64',
  arm64: 'linux-aarch64',
  arm: 'linux-armv7l',
};

export function libvoskPlatform(arch: string = process.arch): string | null {
  return PLATFORMS[arch] ?? null;
}

/**
 * Where libvosk is expected: an explicit path (config or LINEKEEPER_LIBVOSK) wins, else the
 * vendor copy that scripts/fetch-libvosk.sh installs for this CPU.
 */
export function libvoskPath(explicit?: string | null, env = process.env): string {
  if (explicit) return explicit;
  if (env.LINEKEEPER_LIBVOSK) return env.LINEKEEPER_LIBVOSK;
  const platform = libvoskPlatform() ?? `unsupported-${process.arch}`;
  return join(PACKAGE_ROOT, 'vendor', 'vosk', platform, 'libvosk.so');
}

/**
 * libvosk exports no version function, so the version is the one the fetch script recorded in
 * the SOURCE file beside the library; null when the library was put there by hand.
 */
export function libvoskVersion(libraryPath: string): string | null {
  const source = join(dirname(libraryPath), 'SOURCE');
  if (!existsSync(source)) return null;
  const line = readFileSync(source, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('version='));
  return line ? line.slice('version='.length).trim() || null : null;
}
