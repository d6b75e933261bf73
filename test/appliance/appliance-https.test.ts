import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Appliance } from '../../src/appliance/appliance.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/shared/logger.js';
import { freePort } from '../helpers/free-port.js';

function get(port: number, path: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; fingerprint: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false }, (res) => {
        const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            fingerprint: cert.fingerprint256,
          }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

t.test('with web.https the page is served over TLS with the self-signed certificate', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-https-'));
  const port = await freePort();
  const config = parseConfigText(
    `dataDir: ${dir}/var\nweb: { port: ${port}, https: { enabled: true } }\n`,
    'test',
  );
  const appliance = new Appliance(config, silentLogger());
  await appliance.start();
  t.teardown(() => appliance.stop());
  t.match(appliance.webAddress(), /^https:\/\//);

  const cert = new X509Certificate(readFileSync(join(dir, 'var', 'tls', 'web.crt')));
  const page = await get(port, '/setup');
  t.equal(page.status, 200);
  t.equal(
    page.fingerprint,
    cert.fingerprint256,
    'the browser sees the certificate whose fingerprint is logged',
  );
  const cookies = String(page.headers['set-cookie'] ?? '');
  t.match(cookies, /__Host-/, 'cookies carry the __Host- prefix');
  t.match(cookies, /Secure/, 'and the Secure flag');
});
