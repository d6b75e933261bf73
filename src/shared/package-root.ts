import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The installed package's root (where examples/ and models/ live), from src/ or dist/ alike. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
