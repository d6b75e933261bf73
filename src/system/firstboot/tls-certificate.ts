import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FirstbootError } from './firstboot-errors.js';

export interface TlsCertificate {
  certFile: string;
  keyFile: string;
  /** SHA-256 of the DER certificate, "AB:CD:..." as browsers show it. */
  fingerprint256: string;
  notAfter: string;
  created: boolean;
}

/** Ten years: a clinic box has no ACME and no one to renew a certificate; trust is by fingerprint. */
const VALID_DAYS = 3650;

/**
 * The web page's self-signed certificate, made once with openssl (Node cannot issue X.509).
 * The technician compares its fingerprint, printed to the journal and the console, with the one
 * the browser shows on first visit. An existing pair is kept: a new one would look like an attack.
 */
export function ensureTlsCertificate(
  dir: string,
  commonName: string,
  altNames: readonly string[],
  openssl = 'openssl',
): TlsCertificate {
  const certFile = join(dir, 'web.crt');
  const keyFile = join(dir, 'web.key');
  let created = false;
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    const tempCert = `${certFile}.${process.pid}.tmp`;
    const tempKey = `${keyFile}.${process.pid}.tmp`;
    const result = spawnSync(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        String(VALID_DAYS),
        '-subj',
        `/CN=${commonName.replace(/[/=+]/g, '-')}`,
        '-addext',
        `subjectAltName=${altNames.join(',')}`,
        '-keyout',
        tempKey,
        '-out',
        tempCert,
      ],
      { encoding: 'utf8' },
    );
    try {
      if (result.error) {
        const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
        throw new FirstbootError(
          missing ? 'FIRSTBOOT_OPENSSL_MISSING' : 'FIRSTBOOT_OPENSSL_FAILED',
          missing
            ? `openssl is not installed, so no TLS certificate can be made: apt-get install openssl, then run "linekeeper firstboot" again`
            : `could not run openssl: ${result.error.message}`,
        );
      }
      if (result.status !== 0) {
        throw new FirstbootError(
          'FIRSTBOOT_OPENSSL_FAILED',
          `openssl could not make the TLS certificate in ${dir} (exit ${result.status}): ${result.stderr.trim().split('\n').slice(-2).join(' ')}`,
        );
      }
      // The key first: a certificate without its key would be kept by the check above.
      chmodSync(tempKey, 0o600);
      renameSync(tempKey, keyFile);
      renameSync(tempCert, certFile);
      created = true;
    } finally {
      rmSync(tempCert, { force: true });
      rmSync(tempKey, { force: true });
    }
  }
  const cert = new X509Certificate(readFileSync(certFile));
  return {
    certFile,
    keyFile,
    fingerprint256: cert.fingerprint256,
    notAfter: cert.validTo,
    created,
  };
}
