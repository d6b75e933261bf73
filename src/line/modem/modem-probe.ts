import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger.js';
import { type Clock, systemClock } from '../../shared/timer-clock.js';
import { AtCommandEngine } from './at-command-engine.js';
import { ModemError, ModemTimeoutError } from './modem-errors.js';
import {
  identifyModem,
  type ModemIdentity,
  probeVoiceCapabilities,
  type VoiceCapabilities,
} from './modem-identify.js';
import { type ModemProfile, profileForIdentity } from './modem-profiles.js';
import { type PortOpener, SerialConnection } from './serial-connection.js';

export type ProbeVerdict =
  | 'usable'
  | 'no-caller-id'
  | 'not-a-voice-modem'
  | 'no-answer'
  | 'cannot-open';

export interface ProbeReport {
  path: string;
  verdict: ProbeVerdict;
  /** One sentence a technician can act on. */
  advice: string;
  identity?: ModemIdentity;
  profile?: ModemProfile['name'];
  capabilities?: VoiceCapabilities;
}

/** Serial devices worth probing: stable by-id names first, raw tty names if there are none. */
export async function findCandidatePorts(root = '/dev'): Promise<string[]> {
  const byId = join(root, 'serial/by-id');
  const stable = await readdir(byId).catch(() => [] as string[]);
  if (stable.length > 0) return stable.sort().map((name) => join(byId, name));
  const all = await readdir(root).catch(() => [] as string[]);
  return all
    .filter((name) => /^tty(ACM|USB)\d+$/.test(name))
    .sort()
    .map((name) => join(root, name));
}

/** Opens one port, asks who it is and what voice features it has, and gives a verdict. */
export async function probeModem(
  path: string,
  options: { baudRate: number; timeoutMs: number; log: Logger; opener?: PortOpener; clock?: Clock },
): Promise<ProbeReport> {
  const connection = new SerialConnection({
    path,
    baudRate: options.baudRate,
    log: options.log,
    ...(options.opener ? { opener: options.opener } : {}),
  });
  try {
    await connection.open();
  } catch (error) {
    return { path, verdict: 'cannot-open', advice: (error as Error).message };
  }
  const engine = new AtCommandEngine({
    device: path,
    write: (bytes) => connection.write(bytes),
    clock: options.clock ?? systemClock,
    defaultTimeoutMs: options.timeoutMs,
    log: options.log,
  });
  connection.events.on('token', (token) => engine.handle(token));
  try {
    await engine.send('AT');
    await engine.send('ATE0V1');
    const identity = await identifyModem(engine);
    const profile = profileForIdentity(identity.text);
    const capabilities = await probeVoiceCapabilities(engine);
    await engine.send('AT+FCLASS=0');
    const base = { path, identity, profile: profile.name, capabilities };
    if (!capabilities.voice) {
      return {
        ...base,
        verdict: 'not-a-voice-modem',
        advice: 'this modem has no V.253 voice mode (AT+FCLASS=8); see hardware/modems.md',
      };
    }
    if (!capabilities.callerId) {
      return {
        ...base,
        verdict: 'no-caller-id',
        advice: 'voice works but caller ID (AT+VCID) is not supported: calls will show no number',
      };
    }
    return { ...base, verdict: 'usable', advice: `set line.modem.device to ${path}` };
  } catch (error) {
    if (error instanceof ModemTimeoutError) {
      return {
        path,
        verdict: 'no-answer',
        advice: `${error.message} (not a modem, or another program holds it)`,
      };
    }
    throw error;
  } finally {
    engine.failAll(new ModemError('MODEM_PROBE_DONE', 'probe finished'));
    await connection.close();
  }
}
