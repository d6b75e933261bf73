import { AudioFormatError } from './audio-errors.js';
import {
  A_LAW_DECODE_TABLE,
  A_LAW_ENCODE_TABLE,
  MU_LAW_DECODE_TABLE,
  MU_LAW_ENCODE_TABLE,
} from './g711.js';

/**
 * Sample encodings a voice modem or WAV file may carry. `u8`/`s8` are the 8-bit linear formats
 * V.253 modems offer (AT+VSM); `s16le` is what the rest of linekeeper works in.
 */
export type PcmFormat = 'ulaw' | 'alaw' | 'u8' | 's8' | 's16le';

export const PCM_FORMATS: readonly PcmFormat[] = ['ulaw', 'alaw', 'u8', 's8', 's16le'];

export function bytesPerSample(format: PcmFormat): number {
  return format === 's16le' ? 2 : 1;
}

function checkOut<T extends { length: number }>(what: string, out: T, needed: number): T {
  if (out.length < needed) {
    throw new AudioFormatError(
      `${what} buffer holds ${out.length} samples/bytes but ${needed} are needed`,
    );
  }
  return out;
}

/**
 * Bytes to 16-bit linear samples. Pass `out` (at least as long as the sample count) to avoid an
 * allocation per frame; the returned array is then a view of `out` of exactly the sample count.
 */
export function decodePcm(format: PcmFormat, bytes: Uint8Array, out?: Int16Array): Int16Array {
  const count = format === 's16le' ? bytes.length >> 1 : bytes.length;
  if (format === 's16le' && (bytes.length & 1) !== 0) {
    throw new AudioFormatError(
      `s16le audio must have an even number of bytes, got ${bytes.length}: a byte was lost or the format is wrong`,
    );
  }
  const target = out ? checkOut('decode output', out, count) : new Int16Array(count);
  switch (format) {
    case 'ulaw':
      for (let i = 0; i < count; i++) target[i] = MU_LAW_DECODE_TABLE[bytes[i]!]!;
      break;
    case 'alaw':
      for (let i = 0; i < count; i++) target[i] = A_LAW_DECODE_TABLE[bytes[i]!]!;
      break;
    case 'u8':
      // Offset binary: 128 is silence. Shift to the top byte so levels match 16-bit audio.
      for (let i = 0; i < count; i++) target[i] = (bytes[i]! - 128) << 8;
      break;
    case 's8':
      for (let i = 0; i < count; i++) target[i] = ((bytes[i]! << 24) >> 24) << 8;
      break;
    case 's16le':
      for (let i = 0, j = 0; i < count; i++, j += 2) {
        target[i] = ((bytes[j + 1]! << 24) >> 16) | bytes[j]!;
      }
      break;
    default:
      throw new AudioFormatError(`unknown PCM format ${String(format)}`);
  }
  return target.length === count ? target : target.subarray(0, count);
}

/**
 * 16-bit linear samples to bytes. 8-bit linear output rounds to nearest (not truncation) so a
 * quiet signal does not pick up a -0.5 LSB DC offset.
 */
export function encodePcm(format: PcmFormat, samples: Int16Array, out?: Uint8Array): Uint8Array {
  const count = samples.length;
  const size = count * bytesPerSample(format);
  const target = out ? checkOut('encode output', out, size) : new Uint8Array(size);
  switch (format) {
    case 'ulaw':
      for (let i = 0; i < count; i++) target[i] = MU_LAW_ENCODE_TABLE[samples[i]! & 0xffff]!;
      break;
    case 'alaw':
      for (let i = 0; i < count; i++) target[i] = A_LAW_ENCODE_TABLE[samples[i]! & 0xffff]!;
      break;
    case 'u8':
      for (let i = 0; i < count; i++) target[i] = to8Bit(samples[i]!) + 128;
      break;
    case 's8':
      for (let i = 0; i < count; i++) target[i] = to8Bit(samples[i]!) & 0xff;
      break;
    case 's16le':
      for (let i = 0, j = 0; i < count; i++, j += 2) {
        const s = samples[i]!;
        target[j] = s & 0xff;
        target[j + 1] = (s >> 8) & 0xff;
      }
      break;
    default:
      throw new AudioFormatError(`unknown PCM format ${String(format)}`);
  }
  return target.length === size ? target : target.subarray(0, size);
}

function to8Bit(sample: number): number {
  const v = (sample + 128) >> 8;
  return Math.min(v, 127);
}
