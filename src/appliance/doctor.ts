import { statfsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import type { Config } from '../config/config-schema.js';
import type { ParsedFlow } from '../ivr/parse-flow.js';
import { loadOrCreateDeviceSecret } from '../privacy/device-secret.js';
import { SqliteCallStore } from '../storage/sqlite/sqlite-call-store.js';
import { flowSpecInEffect } from '../web/flows/flow-file-store.js';
import { flowCheckedForConfig } from './flow-config-check.js';
import { dataPaths } from './paths.js';

export type CheckLevel = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  component: string;
  level: CheckLevel;
  message: string;
}

/** Below this much free space the appliance warns; calls need little, but logs and updates do. */
const LOW_DISK_BYTES = 200 * 1024 * 1024;

/**
 * One check per component, each saying what to do when it is not ok. Later adapters (modem,
 * Vosk, GPIO, MQTT) add their own probes here as they land.
 */
export async function runDoctor(
  config: Config | null,
  configProblem: string | null,
  configSource: string | null,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (!config) {
    results.push({ component: 'config', level: 'fail', message: `${configProblem ?? 'invalid'}` });
    return results;
  }
  results.push({
    component: 'config',
    level: 'ok',
    message: configSource ? `${configSource} is valid` : 'no config file; using built-in defaults',
  });
  results.push(checkFlow(config));
  results.push(await checkStorage(config));
  results.push(await checkLine(config));
  results.push(await checkSpeech(config));
  results.push(checkRelays(config));
  results.push(await checkMqtt(config));
  results.push(await checkWeb(config));
  return results;
}

/**
 * The flow calls are answered with: a flow saved on the web page when there is one, else
 * call.flow. A broken saved flow is a warning, not a failure: the appliance answers with
 * call.flow then (see Appliance#loadCheckedFlow).
 */
function checkFlow(config: Config): CheckResult {
  const configured = config.call.flow;
  const spec = flowSpecInEffect(configured, config.dataDir);
  const firstLine = (error: unknown) => (error as Error).message.split('\n')[0];
  let editedProblem: string | null = null;
  if (spec !== configured) {
    try {
      return flowResult(flowCheckedForConfig(spec, config), ' (saved on the web page)');
    } catch (error) {
      editedProblem = `the flow saved on the web page is not usable (${firstLine(error)})`;
    }
  }
  try {
    const parsed = flowCheckedForConfig(configured, config);
    if (!editedProblem) return flowResult(parsed, '');
    return {
      component: 'flow',
      level: 'warn',
      message: `${editedProblem}; calls are answered with call.flow "${parsed.flow.name}" until it is fixed or reverted on the /flows page`,
    };
  } catch (error) {
    return {
      component: 'flow',
      level: 'fail',
      message: `${editedProblem ? `${editedProblem}, and ` : ''}${firstLine(error)}; run linekeeper check-flow ${configured}`,
    };
  }
}

function flowResult(parsed: ParsedFlow, where: string): CheckResult {
  const { flow, warnings } = parsed;
  const note =
    warnings.length > 0
      ? `; ${warnings.length} warning(s): run linekeeper check-flow ${parsed.file}`
      : '';
  return {
    component: 'flow',
    level: warnings.length > 0 ? 'warn' : 'ok',
    message: `"${flow.name}"${where} is valid${note}`,
  };
}

async function checkStorage(config: Config): Promise<CheckResult> {
  const paths = dataPaths(config);
  try {
    loadOrCreateDeviceSecret(paths.deviceSecret);
    const store = new SqliteCallStore(paths.database);
    await store.start();
    await store.stop();
    const fs = statfsSync(paths.dataDir);
    const free = fs.bavail * fs.bsize;
    const freeMb = Math.round(free / 1024 / 1024);
    if (free < LOW_DISK_BYTES) {
      return {
        component: 'storage',
        level: 'warn',
        message: `${paths.database} opens, but only ${freeMb} MB are free; free space on this disk`,
      };
    }
    return {
      component: 'storage',
      level: 'ok',
      message: `${paths.database} opens and passes its integrity check; ${freeMb} MB free`,
    };
  } catch (error) {
    return { component: 'storage', level: 'fail', message: (error as Error).message };
  }
}

/** arecord must run and list the configured capture device; the ring input and hook relay must be set. */
async function checkSoundcard(config: Config): Promise<CheckResult> {
  const s = config.line.soundcard;
  const { execFile } = await import('node:child_process');
  const listing = await new Promise<string | null>((resolve) => {
    execFile('arecord', ['-L'], { timeout: 5000 }, (error, stdout) =>
      resolve(error ? null : stdout),
    );
  });
  if (listing === null)
    return {
      component: 'line',
      level: 'fail',
      message: 'arecord does not run: apt-get install alsa-utils',
    };
  const known =
    s.captureDevice === 'default' || listing.split('\n').some((l) => l.trim() === s.captureDevice);
  return known
    ? {
        component: 'line',
        level: 'ok',
        message: `sound-card line: capture ${s.captureDevice}, playback ${s.playbackDevice}, ring input BCM ${s.ringPin}`,
      }
    : {
        component: 'line',
        level: 'fail',
        message: `capture device "${s.captureDevice}" is not listed by arecord -L; set line.soundcard.captureDevice to one that is`,
      };
}

async function checkLine(config: Config): Promise<CheckResult> {
  if (config.line.driver === 'simulated') {
    return {
      component: 'line',
      level: 'warn',
      message:
        'simulated line: no calls from a real phone line; set line.driver: modem when a voice modem is attached',
    };
  }
  if (config.line.driver === 'soundcard') return checkSoundcard(config);
  const { probeModem } = await import('../line/modem/modem-probe.js');
  const { silentLogger } = await import('../shared/logger.js');
  const m = config.line.modem;
  const report = await probeModem(m.device, {
    baudRate: m.baudRate,
    timeoutMs: 3000,
    log: silentLogger(),
  });
  const what = report.identity ? ` (${report.profile ?? 'unknown profile'})` : '';
  switch (report.verdict) {
    case 'usable':
      return {
        component: 'line',
        level: 'ok',
        message: `voice modem on ${m.device}${what} answers and supports voice and caller ID`,
      };
    case 'no-caller-id':
      return {
        component: 'line',
        level: 'warn',
        message: `modem on ${m.device}${what}: ${report.advice}`,
      };
    case 'cannot-open':
      return {
        component: 'line',
        level: 'fail',
        message: `cannot open ${m.device}: ${report.advice} (if linekeeper is running it holds the port; stop it to probe, or check the cable and group dialout)`,
      };
    default:
      return {
        component: 'line',
        level: 'fail',
        message: `modem on ${m.device}: ${report.advice}; run linekeeper modem-probe`,
      };
  }
}

async function checkSpeech(config: Config): Promise<CheckResult> {
  if (config.speech.engine === 'off')
    return { component: 'speech', level: 'ok', message: 'speech is off; menus work by keys' };
  if (config.speech.engine === 'simulated') {
    return {
      component: 'speech',
      level: 'warn',
      message:
        'simulated recogniser: understands typed text in the simulator only; set speech.engine: vosk',
    };
  }
  const { startRecognizer } = await import('./adapter-factory.js');
  const { silentLogger } = await import('../shared/logger.js');
  const { recognizer, status } = await startRecognizer(config, silentLogger());
  await recognizer?.stop();
  if (status.state === 'ready')
    return { component: 'speech', level: 'ok', message: `Vosk model ${status.detail ?? ''} loads` };
  // The appliance still answers (by keys), so this is a warning, not a failure.
  return {
    component: 'speech',
    level: 'warn',
    message: `${status.detail ?? 'unavailable'}; see models/README.md (scripts/fetch-libvosk.sh, scripts/fetch-model)`,
  };
}

function checkRelays(_config: Config): CheckResult {
  return {
    component: 'relays',
    level: 'warn',
    message:
      'simulated relays: the line is not switched; wire the line-select relay for the fail-safe',
  };
}

/** Connects once with the configured credentials and TLS, as the appliance would. */
async function checkMqtt(config: Config): Promise<CheckResult> {
  const m = config.mqtt;
  if (!m.enabled) return { component: 'mqtt', level: 'ok', message: 'off (mqtt.enabled: false)' };
  const { connectAsync } = await import('mqtt');
  try {
    const read = async (path: string | null) => (path ? await readFile(path) : undefined);
    const client = await connectAsync(m.url, {
      clientId: `linekeeper-doctor-${process.pid}`,
      connectTimeout: 5000,
      reconnectPeriod: 0,
      protocolVersion: 4,
      ...(m.username ? { username: m.username } : {}),
      ...(m.password ? { password: m.password } : {}),
      ...(m.tls.ca ? { ca: await read(m.tls.ca) } : {}),
      ...(m.tls.cert ? { cert: await read(m.tls.cert), key: await read(m.tls.key) } : {}),
      rejectUnauthorized: m.tls.rejectUnauthorized,
    });
    await client.endAsync();
    return {
      component: 'mqtt',
      level: 'ok',
      message: `connected to ${m.url}${m.username ? ` as ${m.username}` : ''}`,
    };
  } catch (error) {
    return {
      component: 'mqtt',
      // Calls are unaffected by a missing broker, so this warns rather than fails.
      level: 'warn',
      message: `cannot connect to ${m.url}: ${(error as Error).message}; check the broker, mqtt.username/password and mqtt.tls`,
    };
  }
}

async function checkWeb(config: Config): Promise<CheckResult> {
  if (!config.web.enabled)
    return { component: 'web', level: 'ok', message: 'off (web.enabled: false)' };
  const { host, port } = config.web;
  const inUse = await new Promise<boolean>((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
  return inUse
    ? {
        component: 'web',
        level: 'ok',
        message: `something answers on http://${host}:${port}/ (the running appliance, or another program using the port)`,
      }
    : {
        component: 'web',
        level: 'ok',
        message: `http://${host}:${port}/ is free; linekeeper run will serve the page there`,
      };
}
