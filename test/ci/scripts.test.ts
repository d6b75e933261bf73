import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import { hasCommand, REPO_ROOT, runCommand } from './run-command.js';

/** Entry points people and CI run; each must be executable and strict. */
const ENTRY_POINTS = ['.ci/run', 'scripts/dev-setup.sh'];

/** Every shell script in scripts/ (any depth) and .ci/run, as repo-relative paths. */
function shellScripts(): string[] {
  const found = ['.ci/run'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && isShell(path)) found.push(relative(REPO_ROOT, path));
    }
  };
  walk(join(REPO_ROOT, 'scripts'));
  return found.sort();
}

function isShell(path: string): boolean {
  if (path.endsWith('.sh')) return true;
  const head = readFileSync(path, 'utf8').slice(0, 200);
  return /^#!.*\b(ba|da)?sh\b/.test(head) || head.includes('# shellcheck shell=');
}

async function shellcheck(args: string[], input?: string) {
  // -x follows `source` lines, so a sourced library is checked in the context that uses it.
  return runCommand(
    'shellcheck',
    ['-x', '--format=gcc', ...args],
    input === undefined ? {} : { input },
  );
}

const CAN_CHECK = hasCommand('shellcheck');
// CI installs shellcheck (.ci/run); there a missing shellcheck is a failure, not a skip.
const skip = CAN_CHECK
  ? false
  : process.env.CI
    ? false
    : 'shellcheck is not installed (apt-get install shellcheck)';

t.test('the scripts under check include the entry points', async (t) => {
  const scripts = shellScripts();
  for (const entry of ENTRY_POINTS) t.ok(scripts.includes(entry), `${entry} is checked`);
  t.ok(scripts.includes('scripts/lib/npm-locked-install.sh'), 'sourced libraries are checked too');
});

t.test(
  'shellcheck reports findings when there are some (the check can fail)',
  { skip },
  async (t) => {
    t.ok(CAN_CHECK, 'shellcheck is on PATH');
    const bad = '#!/usr/bin/env bash\nfor f in $(ls *.txt); do rm $f; done\n';
    const result = await shellcheck(['-'], bad);
    t.not(result.code, 0, 'shellcheck exits non-zero on a script with findings');
    t.match(result.stdout, /SC2045|SC2086/, 'and names the findings');
  },
);

t.test('every script in scripts/ and .ci/run is shellcheck-clean', { skip }, async (t) => {
  const scripts = shellScripts();
  const result = await shellcheck(['--severity=style', ...scripts]);
  t.equal(result.stderr, '', 'shellcheck ran without errors of its own');
  t.equal(result.stdout, '', `no findings in: ${scripts.join(', ')}`);
  t.equal(result.code, 0);
});

t.test('entry points are executable bash scripts that stop on the first error', async (t) => {
  for (const entry of ENTRY_POINTS) {
    const path = join(REPO_ROOT, entry);
    const text = readFileSync(path, 'utf8');
    t.match(text, /^#!\/usr\/bin\/env bash\n/, `${entry} starts with a bash shebang`);
    t.match(text, /^set -euo pipefail$/m, `${entry} sets -euo pipefail`);
    t.ok((statSync(path).mode & 0o111) !== 0, `${entry} is executable`);
  }
});

t.test('.ci/run installs every Debian package the tests use, without recommends', async (t) => {
  const text = readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8');
  const list =
    /readonly APT_PACKAGES=\(([^)]*)\)/.exec(text)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
  for (const pkg of [
    'mosquitto',
    'mosquitto-clients',
    'socat',
    'chromium',
    'espeak-ng',
    'festival',
    'sox',
    'multimon-ng',
    'shellcheck',
    'openssl',
    'udev',
    'sqlite3',
    'systemd',
    'systemd-container',
    'zip',
    'unzip',
    'curl',
  ]) {
    t.ok(list.includes(pkg), `${pkg} is in APT_PACKAGES`);
  }
  t.match(text, /apt-get "\$\{apt_opts\[@\]\}" install -y --no-install-recommends/);
});
