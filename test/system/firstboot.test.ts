import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { registerFirstbootCommand } from '../../src/cli/commands/firstboot-command.js';
import { runFirstboot } from '../../src/system/firstboot/firstboot.js';
import { hasCommand } from '../ci/run-command.js';
import { runCommandInProcess } from '../helpers/cli-in-process.js';

const skip = hasCommand('openssl')
  ? false
  : process.env.CI
    ? false
    : 'openssl is not installed (apt-get install openssl)';

function stateDir(t: Test) {
  const dir = mkdtempSync(join(tmpdir(), 'lk-firstboot-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `version: 1\ndataDir: ${join(dir, 'state')}\n`);
  return { dir, config, state: join(dir, 'state') };
}

/** `linekeeper --config FILE firstboot ...`, in this process, with what it printed. */
async function firstboot(config: string, ...args: string[]) {
  return runCommandInProcess(registerFirstbootCommand, ['--config', config, 'firstboot', ...args]);
}

const mode = (file: string) => statSync(file).mode & 0o777;

t.test('first boot makes the secret, the certificate and a setup code', { skip }, async (t) => {
  const { config, state } = stateDir(t);
  const run = await firstboot(config);
  t.equal(run.code, 0, run.text);

  const secret = join(state, 'device-secret');
  t.match(readFileSync(secret, 'utf8'), /^[0-9a-f]{64}\n$/);
  t.equal(mode(secret), 0o600);

  const cert = join(state, 'tls/web.crt');
  const key = join(state, 'tls/web.key');
  t.equal(mode(key), 0o600, 'the private key is readable by its owner only');
  const opensslFingerprint = execFileSync(
    'openssl',
    ['x509', '-noout', '-fingerprint', '-sha256', '-in', cert],
    {
      encoding: 'utf8',
    },
  )
    .trim()
    .replace(/^.*Fingerprint=/i, '');
  t.match(
    run.text,
    `TLS certificate SHA-256 fingerprint: ${opensslFingerprint}\n`,
    'the printed fingerprint is what openssl reads from the certificate',
  );
  const x509 = new X509Certificate(readFileSync(cert));
  t.match(x509.subjectAltName, /DNS:localhost/);
  t.match(x509.subjectAltName, /IP Address:127\.0\.0\.1/);
  t.ok(
    x509.checkPrivateKey(
      await import('node:crypto').then((c) => c.createPrivateKey(readFileSync(key))),
    ),
    'key and certificate belong together',
  );
  t.ok(new Date(x509.validTo).getTime() > Date.now() + 9 * 365 * 86_400_000, 'valid for years');

  t.match(
    run.text,
    /admin setup code: printed by the linekeeper service/,
    'points at the web page setup code',
  );
  t.notOk(existsSync(join(state, 'setup-code.json')), 'no second setup code of its own');
  t.ok(existsSync(join(state, 'firstboot-done')), 'the unit condition file is written last');
});

t.test('running it again changes nothing', { skip }, async (t) => {
  const { config, state } = stateDir(t);
  const first = await firstboot(config);
  const files = ['device-secret', 'tls/web.crt', 'tls/web.key'];
  const before = files.map((f) => readFileSync(join(state, f), 'utf8'));
  const again = await firstboot(config);
  t.equal(again.code, 0);
  t.same(
    files.map((f) => readFileSync(join(state, f), 'utf8')),
    before,
    'every file kept as it was',
  );
  t.match(again.text, /device secret: kept/);
  t.match(again.text, /web page TLS certificate: kept/);
  const fingerprint = (text: string) => /fingerprint: (\S+)/.exec(text)?.[1];
  t.equal(fingerprint(again.text), fingerprint(first.text));
});

t.test(
  'without openssl it says what to install, marks nothing done, and a rerun finishes',
  { skip },
  async (t) => {
    const { state } = stateDir(t);
    const options = {
      stateDir: state,
      deviceSecretFile: join(state, 'device-secret'),
      deviceName: 'lk-1',
      hostNames: ['clinic-box'],
      now: new Date('2026-01-02T03:04:05Z'),
    };
    t.throws(() => runFirstboot({ ...options, openssl: '/nonexistent/openssl' }), {
      code: 'FIRSTBOOT_OPENSSL_MISSING',
      message: /apt-get install openssl/,
    });
    t.notOk(existsSync(join(state, 'firstboot-done')));
    t.notOk(existsSync(join(state, 'tls/web.crt')));
    const report = runFirstboot(options);
    t.ok(report.tls.created);
    t.match(
      new X509Certificate(readFileSync(report.tls.certFile)).subjectAltName,
      /DNS:clinic-box/,
    );
  },
);

t.test('a bad config is reported, nothing is created', async (t) => {
  const { dir, state } = stateDir(t);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, `version: 1\ndataDir: ${state}\nweb: 7\n`);
  const run = await firstboot(bad);
  t.equal(run.code, 2);
  t.match(run.text, /web/);
  t.notOk(existsSync(state));
});
