import type { AtCommandEngine } from './at-command-engine.js';
import { isSuccess } from './result-codes.js';

export interface ModemIdentity {
  /** All identification answers joined by newlines: what profiles are matched against. */
  text: string;
  /** Per command, the information lines, or undefined when the modem said ERROR. */
  answers: Record<string, string[] | undefined>;
}

export const IDENTIFY_COMMANDS = ['ATI', 'ATI3', 'AT+GMI', 'AT+GMM', 'AT+GMR'] as const;

/** Asks the modem who it is. Commands a modem does not know (ERROR) are simply left out. */
export async function identifyModem(engine: AtCommandEngine): Promise<ModemIdentity> {
  const answers: Record<string, string[] | undefined> = {};
  for (const command of IDENTIFY_COMMANDS) {
    const response = await engine.send(command);
    answers[command] = isSuccess(response.result) ? response.lines : undefined;
  }
  const text = Object.values(answers)
    .flatMap((lines) => lines ?? [])
    .join('\n');
  return { text, answers };
}

export interface VoiceCapabilities {
  voice: boolean;
  callerId: boolean;
  fullDuplex: boolean;
  /** The AT+VSM=? list as the modem printed it. */
  sampleModes: string[];
}

/** Tests support by asking `=?` for each voice command; ERROR means not supported. */
export async function probeVoiceCapabilities(engine: AtCommandEngine): Promise<VoiceCapabilities> {
  const classes = await engine.send('AT+FCLASS=?');
  const voice =
    isSuccess(classes.result) && classes.lines.some((l) => /(^|[,(\s])8([,)\s]|$)/.test(l));
  const cid = await engine.send('AT+VCID=?');
  const vsm = voice ? await engine.send('AT+VSM=?') : undefined;
  const vtr = voice ? await engine.send('AT+VTR=?') : undefined;
  return {
    voice,
    callerId: isSuccess(cid.result),
    fullDuplex: vtr !== undefined && isSuccess(vtr.result),
    sampleModes: vsm && isSuccess(vsm.result) ? vsm.lines : [],
  };
}
