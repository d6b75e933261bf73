import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { UpdateError } from './update-errors.js';

/**
 * release.json, written by scripts/make-release.sh into the top of every release. node_modules
 * holds native modules (better-sqlite3, serialport) built for one CPU architecture and one Node
 * ABI; a release for another one would install fine and then fail to start.
 */
export const ReleaseManifestSchema = Type.Object({
  name: Type.Literal('linekeeper'),
  version: Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?$' }),
  /** process.arch of the machine that built node_modules: arm64 on a Raspberry Pi. */
  arch: Type.String({ minLength: 1 }),
  /** process.versions.modules: the Node ABI the native modules were built for. */
  nodeAbi: Type.String({ pattern: '^\\d+$' }),
  builtAt: Type.String({ minLength: 1 }),
  commit: Type.Optional(Type.String()),
});

export type ReleaseManifest = Static<typeof ReleaseManifestSchema>;

export const MANIFEST_FILE = 'release.json';

const validate = new Ajv({ allErrors: true, strict: false }).compile<ReleaseManifest>(
  ReleaseManifestSchema,
);

export function readReleaseManifest(dir: string, what: string): ReleaseManifest {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    throw new UpdateError(
      'UPDATE_BAD_RELEASE',
      `${what} has no readable ${MANIFEST_FILE} (${(error as Error).message}): use a release made by scripts/make-release.sh`,
    );
  }
  return parseReleaseManifest(text, what);
}

/** release.json straight from the tarball, to refuse a wrong release before unpacking it. */
export function peekReleaseManifest(tarball: string): ReleaseManifest {
  const result = spawnSync('tar', ['-xzOf', tarball, '--wildcards', `*/${MANIFEST_FILE}`], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    timeout: 300_000,
  });
  if (result.error || result.status !== 0) {
    const why = result.error?.message ?? result.stderr.trim().split('\n').slice(-1).join('');
    throw new UpdateError(
      'UPDATE_BAD_RELEASE',
      `${tarball} is not a release made by scripts/make-release.sh: no linekeeper-<version>/${MANIFEST_FILE} in it (${why})`,
    );
  }
  return parseReleaseManifest(result.stdout, tarball);
}

function parseReleaseManifest(text: string, what: string): ReleaseManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UpdateError(
      'UPDATE_BAD_RELEASE',
      `${what} has no readable ${MANIFEST_FILE} (${(error as Error).message}): use a release made by scripts/make-release.sh`,
    );
  }
  if (!validate(value)) {
    const detail = (validate.errors ?? [])
      .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`)
      .join('; ');
    throw new UpdateError(
      'UPDATE_BAD_RELEASE',
      `${what}: ${MANIFEST_FILE} is not valid: ${detail}`,
    );
  }
  return value;
}

/** The platform this Node process runs on, in the manifest's terms. */
export function runningPlatform(): { arch: string; nodeAbi: string } {
  return { arch: process.arch, nodeAbi: process.versions.modules };
}

export function checkPlatform(
  manifest: ReleaseManifest,
  platform: { arch: string; nodeAbi: string },
  what: string,
): void {
  if (manifest.arch !== platform.arch || manifest.nodeAbi !== platform.nodeAbi) {
    throw new UpdateError(
      'UPDATE_WRONG_PLATFORM',
      `${what} was built for ${manifest.arch} with Node ABI ${manifest.nodeAbi}, this box is ${platform.arch} with Node ABI ${platform.nodeAbi} (Node ${process.versions.node}): make the release with scripts/make-release.sh on a machine like this one`,
    );
  }
}
