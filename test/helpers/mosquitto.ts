import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

/**
 * A real Mosquitto for tests: loopback only, a password file, a TLS listener with a CA made
 * for this broker, and a listener that also requires a client certificate. Nothing is shared
 * between brokers, so tests may run in parallel.
 */
export interface MosquittoOptions {
  /** username -> password. Default one user, `linekeeper` / `s3cret-test`. */
  users?: Record<string, string>;
  allowAnonymous?: boolean;
}

export interface Mosquitto {
  readonly host: string;
  /** Plain MQTT listener. */
  readonly port: number;
  readonly url: string;
  /** TLS listener (server certificate signed by `caPath`). */
  readonly tlsPort: number;
  readonly tlsUrl: string;
  /** TLS listener that also requires a client certificate signed by `caPath`. */
  readonly mtlsPort: number;
  readonly mtlsUrl: string;
  readonly users: Record<string, string>;
  /** The first user, for tests that need just one valid login. */
  readonly username: string;
  readonly password: string;
  readonly dir: string;
  readonly caPath: string;
  /** A CA that signed nothing here: trusting it must not let a client accept the broker. */
  readonly otherCaPath: string;
  readonly clientCertPath: string;
  readonly clientKeyPath: string;
  /** Broker log so far (connections, refusals), for assertions and failure messages. */
  log(): string;
  /** Stops the broker; its retained messages are lost (no persistence). */
  stop(): Promise<void>;
  /** Starts it again on the same ports after stop(). */
  start(): Promise<void>;
  /** Stops the broker and removes its files. */
  dispose(): Promise<void>;
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const users = options.users ?? { linekeeper: 's3cret-test' };
  const [username, password] = Object.entries(users)[0] ?? ['', ''];
  const dir = await mkdtemp(join(tmpdir(), 'linekeeper-mosquitto-'));
  const host = '127.0.0.1';
  const [port, tlsPort, mtlsPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const certs = await makeCertificates(dir);
  const passwordFile = join(dir, 'passwd');
  await writeFile(passwordFile, '');
  for (const [user, pass] of Object.entries(users)) {
    await run('mosquitto_passwd', ['-b', passwordFile, user, pass]);
  }
  const tls = (p: number, requireCert: boolean) =>
    [
      `listener ${p} ${host}`,
      `cafile ${certs.caPath}`,
      `certfile ${certs.serverCertPath}`,
      `keyfile ${certs.serverKeyPath}`,
      `require_certificate ${requireCert}`,
    ].join('\n');
  const configPath = join(dir, 'mosquitto.conf');
  await writeFile(
    configPath,
    [
      'per_listener_settings false',
      `allow_anonymous ${options.allowAnonymous ?? false}`,
      `password_file ${passwordFile}`,
      'persistence false',
      // Run as whoever runs the tests: as root Mosquitto would switch to `mosquitto`, which
      // cannot read this private temp directory.
      `user ${userInfo().username}`,
      'log_dest stderr', // unbuffered, unlike stdout on a pipe
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      'connection_messages true',
      'log_timestamp false',
      `listener ${port} ${host}`,
      tls(tlsPort, false),
      tls(mtlsPort, true),
      '',
    ].join('\n'),
  );

  let child: ChildProcess | null = null;
  let output = '';

  const stop = async () => {
    const proc = child;
    if (!proc) return;
    child = null;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.stdin?.end(); // the guard below reads EOF and stops the broker
    await exited;
  };

  const start = async () => {
    if (child) throw new Error('mosquitto is already running');
    // Mosquitto runs under a small sh guard that stops it when our end of its stdin closes:
    // on stop(), and also when this test process dies without cleaning up (a tap timeout, a
    // crash), so a failed run never leaves a broker behind.
    // (Background jobs get /dev/null as stdin, so the guard reads a copy of it on fd 3.)
    const guard =
      'exec 3<&0; "$0" -c "$1" 3<&- & m=$!; ( read -r _ <&3; kill "$m" 2>/dev/null ) & wait "$m"';
    const proc = spawn('/bin/sh', ['-c', guard, MOSQUITTO, configPath], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child = proc;
    const from = output.length; // after a restart, only this run's lines count
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`mosquitto did not report running within 10 s:\n${output}`));
        }, 10_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString('utf8');
          if (/mosquitto version \S+ running/.test(output.slice(from))) {
            clearTimeout(timer);
            resolve();
          }
        };
        proc.stdout?.on('data', onData);
        proc.stderr?.on('data', onData);
        proc.once('exit', (code, signal) => {
          clearTimeout(timer);
          if (child === proc) child = null;
          reject(new Error(`mosquitto exited (${code ?? signal}) while starting:\n${output}`));
        });
        proc.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
    } catch (error) {
      await stop();
      throw error;
    }
  };

  try {
    await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host,
    port,
    url: `mqtt://${host}:${port}`,
    tlsPort,
    tlsUrl: `mqtts://${host}:${tlsPort}`,
    mtlsPort,
    mtlsUrl: `mqtts://${host}:${mtlsPort}`,
    users,
    username,
    password,
    dir,
    caPath: certs.caPath,
    otherCaPath: certs.otherCaPath,
    clientCertPath: certs.clientCertPath,
    clientKeyPath: certs.clientKeyPath,
    log: () => output,
    stop,
    start,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on right now (the kernel picks it; we release it at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Certificates {
  caPath: string;
  otherCaPath: string;
  serverCertPath: string;
  serverKeyPath: string;
  clientCertPath: string;
  clientKeyPath: string;
}

/** A throwaway CA, a server certificate for 127.0.0.1/localhost and a client certificate. */
async function makeCertificates(dir: string): Promise<Certificates> {
  const p = (name: string) => join(dir, name);
  const openssl = (args: string[]) => run('openssl', args, { cwd: dir });
  const key = (name: string) =>
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p(name)]);
  const ca = async (name: string, cn: string) => {
    await key(`${name}.key`);
    await openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      p(`${name}.key`),
      '-sha256',
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      p(`${name}.crt`),
    ]);
  };
  const leaf = async (name: string, cn: string, ext: string) => {
    await key(`${name}.key`);
    await openssl([
      'req',
      '-new',
      '-key',
      p(`${name}.key`),
      '-subj',
      `/CN=${cn}`,
      '-out',
      p(`${name}.csr`),
    ]);
    await writeFile(p(`${name}.ext`), ext);
    await openssl([
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      p('ca.crt'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-sha256',
      '-extfile',
      p(`${name}.ext`),
      '-out',
      p(`${name}.crt`),
    ]);
  };
  await Promise.all([ca('ca', 'linekeeper test CA'), ca('other-ca', 'some other CA')]);
  await leaf(
    'server',
    'localhost',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' +
      'keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  await leaf(
    'client',
    'linekeeper-test-client',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n',
  );
  return {
    caPath: p('ca.crt'),
    otherCaPath: p('other-ca.crt'),
    serverCertPath: p('server.crt'),
    serverKeyPath: p('server.key'),
    clientCertPath: p('client.crt'),
    clientKeyPath: p('client.key'),
  };
}
