import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseWav, toMono } from '../wav.js';

/**
 * Where the shared spoken-digit recordings are: $LINEKEEPER_FSDD_DIR, else `shared/` beside the
 * repository (how CI lays it out), else the development machines' /work/shared.
 */
export function findFsddDir(repoRoot: string): string | undefined {
  const candidates = [
    process.env.LINEKEEPER_FSDD_DIR,
    resolve(repoRoot, '../shared/data/fsdd-dev'),
    '/work/shared/data/fsdd-dev',
  ];
  return candidates.find((d): d is string => d !== undefined && existsSync(d));
}

/** Spoken-digit recordings (8 kHz mono), sorted by name; `limit` takes an even spread. */
export function loadFsdd(
  dir: string,
  limit = Number.POSITIVE_INFINITY,
): { name: string; samples: Int16Array }[] {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.wav'))
    .sort();
  const step = Math.max(1, Math.floor(names.length / Math.min(limit, names.length)));
  const picked = names.filter((_, i) => i % step === 0).slice(0, limit);
  return picked.map((name) => ({
    name,
    samples: toMono(parseWav(readFileSync(join(dir, name)), name)),
  }));
}
