import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateDeviceSecret } from '../../privacy/device-secret.js';
import { ensureTlsCertificate, type TlsCertificate } from './tls-certificate.js';

export interface FirstbootOptions {
  /** The state directory (config dataDir; /var/lib/linekeeper under systemd). */
  stateDir: string;
  deviceSecretFile: string;
  /** Goes into the certificate's name, e.g. config device.id. */
  deviceName: string;
  /** Host names the web page is reached by (mDNS name, host name); loopback is always added. */
  hostNames: readonly string[];
  now: Date;
  openssl?: string;
}

export interface FirstbootReport {
  deviceSecretCreated: boolean;
  tls: TlsCertificate;
  doneFile: string;
}

export function firstbootPaths(stateDir: string) {
  return {
    tlsDir: join(stateDir, 'tls'),
    /** linekeeper-firstboot.service has ConditionPathExists=! on this. */
    done: join(stateDir, 'firstboot-done'),
  };
}

/**
 * Creates what a box needs before its first start, each piece only if it is missing, so a run
 * cut short by a power cut is simply run again: the device secret and the web page's TLS
 * certificate. Marks itself done last. The admin setup code is the web page's own: `linekeeper
 * run` prints it to the journal while no admin exists.
 */
export function runFirstboot(options: FirstbootOptions): FirstbootReport {
  const paths = firstbootPaths(options.stateDir);
  const secretExisted = existsSync(options.deviceSecretFile);
  loadOrCreateDeviceSecret(options.deviceSecretFile);
  const altNames = [
    ...new Set([...options.hostNames.filter(Boolean).map((h) => `DNS:${h}`), 'DNS:localhost']),
    'IP:127.0.0.1',
    'IP:::1',
  ];
  const tls = ensureTlsCertificate(
    paths.tlsDir,
    `linekeeper ${options.deviceName}`,
    altNames,
    options.openssl,
  );
  writeFileSync(paths.done, `${options.now.toISOString()}\n`, { mode: 0o640 });
  return {
    deviceSecretCreated: !secretExisted,
    tls,
    doneFile: paths.done,
  };
}
