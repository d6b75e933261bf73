import { dbm0ToPeak } from '../audio/levels.js';
import { CallerIdEncodeError } from './caller-id-errors.js';
import { FSK_STANDARDS, type FskStandardName } from './fsk-standards.js';

export interface FskRenderOptions {
  standard: FskStandardName;
  sampleRate?: number;
  /** Sine level; GR-30 and EN 300 659 senders are around -13.5 dBm0. */
  levelDbm0?: number;
  /** Alternating 0101... bits before the mark; 0 leaves the seizure out (allowed by ETSI). */
  seizureBits?: number;
  markBits?: number;
  /** Extra mark bits between bytes (ETSI allows up to 10). */
  interByteMarkBits?: number;
  /** Mark bits after the checksum, before the carrier stops. */
  trailingMarkBits?: number;
  /** Relative bit-rate error (0.01 = 1 % fast), for receiver tolerance tests. */
  baudError?: number;
  /** Relative tone frequency error applied to both tones. */
  frequencyError?: number;
}

/** Bits as sent on the line: seizure, mark, then each byte framed start/LSB-first/stop. */
export function callerIdBits(message: Uint8Array, options: FskRenderOptions): number[] {
  const std = FSK_STANDARDS[options.standard];
  const bits: number[] = [];
  const seizure = options.seizureBits ?? std.seizureBits;
  for (let i = 0; i < seizure; i++) bits.push(i % 2);
  for (let i = 0; i < (options.markBits ?? std.markBits); i++) bits.push(1);
  message.forEach((byte, index) => {
    if (index > 0) for (let i = 0; i < (options.interByteMarkBits ?? 0); i++) bits.push(1);
    bits.push(0);
    for (let b = 0; b < 8; b++) bits.push((byte >> b) & 1);
    bits.push(1);
  });
  for (let i = 0; i < (options.trailingMarkBits ?? 2); i++) bits.push(1);
  return bits;
}

/**
 * Phase-continuous FSK audio of a caller-ID message (bytes including the checksum), as a
 * central office sends it. Bit edges fall on fractional sample positions, as they do on a line
 * whose 1200 baud clock is not locked to the sound card's 8 kHz.
 */
export function renderCallerIdFsk(message: Uint8Array, options: FskRenderOptions): Int16Array {
  const std = FSK_STANDARDS[options.standard];
  if (!std) throw new CallerIdEncodeError(`unknown FSK standard '${options.standard}'`);
  const rate = options.sampleRate ?? 8000;
  const bits = callerIdBits(message, options);
  const samplesPerBit = rate / (std.baud * (1 + (options.baudError ?? 0)));
  const total = Math.ceil(bits.length * samplesPerBit);
  const peak = dbm0ToPeak(options.levelDbm0 ?? -13.5);
  const shift = 1 + (options.frequencyError ?? 0);
  const out = new Int16Array(total);
  let phase = 0;
  for (let i = 0; i < total; i++) {
    const bit = bits[Math.min(bits.length - 1, Math.floor(i / samplesPerBit))]!;
    out[i] = Math.round(peak * Math.sin(phase));
    phase += (2 * Math.PI * (bit ? std.markHz : std.spaceHz) * shift) / rate;
    if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
  }
  return out;
}
