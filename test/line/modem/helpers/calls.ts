import type { Prompt } from '../../../../src/line/line-port.js';
import type { EmulatedCallerId } from '../../../../src/line/modem/emulator/caller-id-format.js';
import { delay, type ModemRig } from './modem-rig.js';

/** Rings like a real line, caller ID between the first and second ring; stops when answered. */
export async function incomingCall(
  rig: ModemRig,
  callerId: EmulatedCallerId | undefined,
  maxRings: number,
  gapMs = 150,
): Promise<number> {
  let rings = 0;
  while (rings < maxRings && !rig.emulator.offHook) {
    rig.emulator.ring();
    rings++;
    await delay(gapMs / 2);
    if (rings === 1 && callerId) rig.emulator.callerId(callerId);
    await delay(gapMs / 2);
  }
  return rings;
}

/** A prompt of `ms` milliseconds of a 440 Hz tone at 8 kHz. */
export function tonePrompt(id: string, ms: number, interruptible = true): Prompt {
  const samples = new Int16Array((8000 * ms) / 1000);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  return {
    id,
    text: `${id} tone`,
    interruptible,
    audio: { samples, sampleRate: 8000, timestampMs: 0 },
  };
}

/** Root-mean-square difference relative to the signal: small when the audio arrived intact. */
export function relativeError(sent: Int16Array, received: Int16Array): number {
  const n = Math.min(sent.length, received.length);
  let diff = 0;
  let power = 0;
  for (let i = 0; i < n; i++) {
    diff += (sent[i]! - received[i]!) ** 2;
    power += sent[i]! ** 2;
  }
  return Math.sqrt(diff / Math.max(1, power));
}
