import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateError } from './update-errors.js';

/**
 * Runs the release's own `check-config` on the box's config before switching to it: the new
 * version's schema and migrations decide whether the old config still works, not this one's.
 * Skipped when there is no config yet (a first install writes one afterwards).
 */
export function checkConfigWith(
  releaseDir: string,
  configFile: string,
  nodeBin: string,
): 'ok' | 'no-config' {
  if (!existsSync(configFile)) return 'no-config';
  const main = join(releaseDir, 'dist/cli/main.js');
  const result = spawnSync(nodeBin, [main, 'check-config', configFile], {
    encoding: 'utf8',
    timeout: 60_000,
    env: releaseEnv(),
  });
  if (result.status === 0) return 'ok';
  const output =
    `${result.stdout}${result.stderr}`.trim() || (result.error?.message ?? `exit ${result.status}`);
  throw new UpdateError(
    'UPDATE_CONFIG_REJECTED',
    `the release in ${releaseDir} does not accept ${configFile}, so it was not switched to:\n${output}\nfix the config (or add a migration to the release) and run the update again`,
  );
}

/** The environment without this process's loaders or coverage hooks: the release runs alone. */
function releaseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_OPTIONS' || key === 'NODE_V8_COVERAGE' || key.startsWith('TAP')) continue;
    env[key] = value;
  }
  return env;
}
