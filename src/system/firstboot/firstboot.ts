import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateDeviceSecret } from '../../privacy/device-secret.js';
import { FirstbootError } from './firstboot-errors.js';
import {
  hashSetupCode,
  newSetupCode,
  parseSetupCodeRecord,
  type SetupCodeRecord,
} from './setup-code.js';
import { ensureTlsCertificate, type TlsCertificate } from './tls-certificate.js';

export interface FirstbootOptions {
  /** The state directory (config dataDir; /var/lib/linekeeper under systemd). */
  stateDir: string;
  deviceSecretFile: string;
  /** Goes into the certificate's name, e.g. config device.id. */
  deviceName: string;
  /** Host names the web page is reached by (mDNS name, host name); loopback is always added. */
  hostNames: readonly string[];
  /** Replace an issued setup code (the old one stops working). */
  newSetupCode: boolean;
  now: Date;
  openssl?: string;
}

export interface FirstbootReport {
  deviceSecretCreated: boolean;
  tls: TlsCertificate;
  /** The code in clear, only when it was issued just now; it is never stored. */
  setupCode: string | null;
  setupCodeIssuedAt: string;
  doneFile: string;
}

export function firstbootPaths(stateDir: string) {
  return {
    tlsDir: join(stateDir, 'tls'),
    setupCode: join(stateDir, 'setup-code.json'),
    /** linekeeper-firstboot.service has ConditionPathExists=! on this. */
    done: join(stateDir, 'firstboot-done'),
  };
}

/**
 * Creates what a box needs before its first start, each piece only if it is missing, so a run
 * cut short by a power cut is simply run again: the device secret, the web page's TLS
 * certificate and the one-time setup code (only its hash is kept). Marks itself done last.
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
  const { code, record } = issueSetupCode(paths.setupCode, options);
  writeFileSync(paths.done, `${options.now.toISOString()}\n`, { mode: 0o640 });
  return {
    deviceSecretCreated: !secretExisted,
    tls,
    setupCode: code,
    setupCodeIssuedAt: record.issuedAt,
    doneFile: paths.done,
  };
}

function issueSetupCode(
  file: string,
  options: FirstbootOptions,
): { code: string | null; record: SetupCodeRecord } {
  if (existsSync(file) && !options.newSetupCode) {
    return { code: null, record: parseSetupCodeRecord(readFileSync(file, 'utf8'), file) };
  }
  const code = newSetupCode();
  const record = hashSetupCode(code, options.now);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, 'w', 0o600);
    writeSync(fd, `${JSON.stringify(record)}\n`);
    fsyncSync(fd);
    closeSync(fd);
    // Renamed into place: a half-written record after a power cut would lock the technician out.
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new FirstbootError(
      'FIRSTBOOT_STATE_UNWRITABLE',
      `cannot store the setup code under ${options.stateDir}: ${(error as Error).message}; check that the state directory is writable by the linekeeper user`,
      { cause: error },
    );
  }
  return { code, record };
}
