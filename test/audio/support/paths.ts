import { fileURLToPath } from 'node:url';

/** Repository root, for locating `shared/` beside it. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
