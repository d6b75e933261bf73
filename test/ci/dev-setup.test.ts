import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { childEnv, freePort, hasCommand, REPO_ROOT, runCommand } from './run-command.js';

const SCRIPT = join(REPO_ROOT, 'scripts/dev-setup.sh');

// The quick-start test builds the TypeScript in a copy of the repo: 13 s on an idle 2-core
// machine, 79 s on one loaded by a parallel suite. Above tap's 120 s per file, on purpose.
t.setTimeout(300_000);

t.test('--help prints the usage and exits 0; an unknown option exits 2', async (t) => {
  const help = await runCommand('bash', [SCRIPT, '--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /--no-run\s+set up only/);
  const bad = await runCommand('bash', [SCRIPT, '--frobnicate']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /unknown option '--frobnicate'/);
});

/**
 * A PATH holding only stand-ins for node, npm, apt-get, apt-cache and sudo (each logging its
 * arguments) plus the few real tools the script uses, so the Node check can be driven through
 * every case without touching this machine's packages.
 */
function stubPath(dir: string, options: { nodeVersion: string | null; aptNodejs: string }): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'calls.log');
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/bash\necho "${name} $*" >> ${log}\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  if (options.nodeVersion) {
    const major = options.nodeVersion.replace(/^v/, '').split('.')[0];
    stub('node', `[[ "$1" == --version ]] && echo ${options.nodeVersion} || echo ${major}`);
    stub('npm', 'echo 10.9.0');
  }
  stub('apt-get', 'exit 0');
  stub(
    'apt-cache',
    `printf 'nodejs:\\n  Installed: (none)\\n  Candidate: ${options.aptNodejs}\\n'`,
  );
  stub('sudo', 'exec "$@"');
  for (const tool of ['sed', 'cat', 'env', 'dirname']) {
    const real = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p));
    if (real) symlinkSync(real, join(bin, tool));
  }
  return bin;
}

async function ensureNode(t: Test, options: { nodeVersion: string | null; aptNodejs: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-devsetup-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bin = stubPath(dir, options);
  const result = await runCommand('/bin/bash', ['-c', `source ${SCRIPT} && ensure_node`], {
    env: { PATH: bin, HOME: dir },
  });
  let calls = '';
  try {
    calls = readFileSync(join(dir, 'calls.log'), 'utf8');
  } catch {
    // No stub was called.
  }
  return { ...result, calls };
}

t.test('Node 18 from Debian 12: explains what to do and installs nothing', async (t) => {
  const r = await ensureNode(t, { nodeVersion: 'v18.19.0', aptNodejs: '18.19.0+dfsg-6~deb12u2' });
  t.equal(r.code, 1);
  t.match(r.stderr, /needs Node\.js 20 or newer with npm \(found: v18\.19\.0\)/);
  t.match(r.stderr, /offers nodejs 18, which is too old/);
  t.match(r.stderr, /Debian 12 and Raspberry Pi OS 12 ship Node 18/);
  t.notMatch(r.calls, /apt-get .*install/, 'no apt-get install');
});

t.test(
  'no Node, but the distribution offers Node 20: installs nodejs and npm from apt',
  async (t) => {
    const r = await ensureNode(t, { nodeVersion: null, aptNodejs: '20.19.2+dfsg-1' });
    t.equal(r.code, 0, r.stderr);
    t.match(r.calls, /^apt-get update/m);
    t.match(r.calls, /apt-get install -y -q --no-install-recommends nodejs npm/);
  },
);

t.test('Node 20 with npm already there: no apt at all', async (t) => {
  const r = await ensureNode(t, { nodeVersion: 'v20.20.2', aptNodejs: '18.19.0+dfsg-6~deb12u2' });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /node v20\.20\.2, npm 10\.9\.0/);
  t.notMatch(r.calls, /apt-get/);
});

/** Waits until the child's output matches `pattern` (the CLI's "running" line); returns it all. */
function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${seen}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before ${pattern}:\n${seen}`));
    });
  });
}

const buildTools = ['python3', 'make', 'g++'].every((tool) => hasCommand(tool));

t.test(
  'quick start in a copy of the repo: sets up, is idempotent, serves the page, stops on SIGTERM',
  { skip: buildTools ? false : 'python3, make or g++ missing: the script would apt-get them' },
  async (t) => {
    // A copy, so the build writes its own dist/ and never rewrites files other tests are using.
    const root = mkdtempSync(join(tmpdir(), 'linekeeper-quickstart-'));
    t.teardown(() => rmSync(root, { recursive: true, force: true }));
    for (const entry of [
      'src',
      'examples',
      'scripts',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
    ]) {
      cpSync(join(REPO_ROOT, entry), join(root, entry), {
        recursive: true,
        preserveTimestamps: true,
      });
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
    const script = join(root, 'scripts/dev-setup.sh');

    const setup = await runCommand('bash', [script, '--no-run'], { cwd: root, timeoutMs: 90_000 });
    if (setup.code !== 0)
      t.fail(`setup failed (exit ${setup.code}):\n${setup.stdout}${setup.stderr}`);
    t.match(
      setup.stdout,
      /node_modules from package-lock\.json\nup to date/,
      'node_modules is reused',
    );
    t.match(setup.stdout, /var\/dev-config\.yaml: ok/, 'the written config is valid');
    const config = readFileSync(join(root, 'var/dev-config.yaml'), 'utf8');
    t.match(config, /driver: simulated/);
    t.match(
      config,
      /host: 127\.0\.0\.1\n\s+port: 8080/,
      'the page is on 127.0.0.1:8080 by default',
    );

    // Port 8080 may be busy on a test machine; the script keeps a config it finds.
    const port = await freePort();
    writeFileSync(join(root, 'var/dev-config.yaml'), config.replace('port: 8080', `port: ${port}`));
    const child = spawn('bash', [script], {
      cwd: root,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    t.teardown(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const output = await waitForOutput(child, /web page at http:\/\/127\.0\.0\.1:\d+\//, 60_000);
    t.match(output, `web page at http://127.0.0.1:${port}/`, 'it runs on the configured port');
    t.match(output, /build \(TypeScript -> dist\/\)\nup to date/, 'a second run does not rebuild');
    t.match(output, /simulation config var\/dev-config\.yaml\nkept/, 'nor overwrite the config');
    const page = await fetch(`http://127.0.0.1:${port}/`);
    t.equal(page.status, 200, 'the dashboard answers');
    t.match(await page.text(), /linekeeper/i);
    t.ok(readFileSync(join(root, 'var/linekeeper.db')).length > 0, 'data lives under ./var');
    child.kill('SIGTERM');
    t.equal(await exited, 0, 'SIGTERM stops it cleanly');
  },
);
