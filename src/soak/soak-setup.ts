import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGULAR_NUMBERS } from './caller-scripts.js';

/**
 * A short flow so each call takes seconds: a one-word disclosure, a two-option menu with a
 * short timeout and no retries (silence goes to a person), a hook-flash transfer that may find
 * the extension busy, a callback, an information route and goodbye.
 */
export const SOAK_FLOW = `version: 1
name: soak
language: en
disclosure: Automated assistant.
start: menu
person: desk
nodes:
  menu:
    type: menu
    prompt: Press one for a call back, two for our hours.
    timeoutSeconds: 2
    retries: 0
    options:
      back: { dtmf: "1", next: thanks }
      hours: { dtmf: "2", next: hours }
  thanks: { type: callback, topic: general, prompt: Thank you., next: bye }
  hours: { type: info, topic: hours, text: We open at eight., next: bye }
  desk:
    type: transfer
    target: reception
    method: hook-flash
    answerTimeoutSeconds: 5
    onNoAnswer: bye
  bye: { type: hangup, prompt: Goodbye. }
`;

/**
 * The guard's per-caller limit in the soak config. A patient the harness had call more often
 * than this within the window is refused by design; the harness then expects that refusal.
 */
export const SOAK_PER_CALLER = { windowMinutes: 15, maxCalls: 8 } as const;

export interface SoakFiles {
  configPath: string;
  flowPath: string;
  dataDir: string;
}

/**
 * The appliance's config for the soak: the modem on the pty, MQTT on the soak broker, the web
 * page on a free port, simulated relays (line-select is read from /api/status), and a flood
 * guard scaled to compressed time: a two-minute window, a one-minute calm, a normal load of 1000 calls an hour
 * (the most the config allows), and three regulars on the allow-list. Patients become known
 * only after knownAfterHours (1 h at least: 0 would let bots that got into the flow before the
 * flood was noticed be trusted at once, which the guard is built to prevent), so nearly every
 * soak caller is a stranger to the guard; a new call follows at least 4 s of idle line (see
 * soak-run.ts), so ordinary traffic does not look like redialling bots, and a bot burst does.
 */
export function writeSoakFiles(
  dir: string,
  dataDir: string,
  o: { modemDevice: string; mqttUrl: string; webPort: number },
): SoakFiles {
  const flowPath = join(dir, 'soak-flow.yaml');
  const configPath = join(dir, 'soak-config.yaml');
  writeFileSync(flowPath, SOAK_FLOW);
  writeFileSync(
    configPath,
    `# written by the linekeeper soak harness (src/soak/)
version: 1
dataDir: ${dataDir}
device: { id: soak, name: soak }
line:
  driver: modem
  answerOnRing: 2
  modem: { device: ${o.modemDevice}, profile: conexant }
call: { flow: ${flowPath}, emergencyNotice: null, maxCallSeconds: 60 }
speech: { engine: simulated }
relays: { driver: simulated }
mqtt: { enabled: true, url: "${o.mqttUrl}", topicPrefix: linekeeper, keepaliveSeconds: 5 }
guard:
  perCaller: { windowMinutes: ${SOAK_PER_CALLER.windowMinutes}, maxCalls: ${SOAK_PER_CALLER.maxCalls} }
  flood: { windowMinutes: 2, minCalls: 10, factor: 1.5, normalCallsPerHour: 1000, calmMinutes: 1 }
  challenge: { digits: 4, attempts: 1, timeoutSeconds: 3 }
  blocking: { maxFailures: 2, blockMinutes: 60 }
  allowList: [${REGULAR_NUMBERS.map((n) => `"${n}"`).join(', ')}]
web: { enabled: true, host: 127.0.0.1, port: ${o.webPort} }
log: { level: info }
`,
  );
  return { configPath, flowPath, dataDir };
}
