import { WavFormatError } from './audio-errors.js';
import { decodePcm, encodePcm, type PcmFormat } from './pcm-formats.js';

/** Decoded WAV audio: one Int16Array per channel, at the file's own sample rate. */
export interface WavAudio {
  sampleRate: number;
  /** What the file stored, for technicians' diagnostics; samples are always 16-bit here. */
  sourceFormat: string;
  channels: Int16Array[];
  /** True when the data chunk length was a placeholder (streamed or truncated recording). */
  lengthRepaired: boolean;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;
const MAX_CHANNELS = 32;
const MAX_RATE = 768_000;

interface FmtChunk {
  formatTag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function parseFmt(view: DataView, at: number, size: number, file: string): FmtChunk {
  if (size < 16)
    throw new WavFormatError(file, at, `fmt chunk is ${size} bytes, needs at least 16`);
  let formatTag = view.getUint16(at, true);
  const fmt: FmtChunk = {
    formatTag,
    channels: view.getUint16(at + 2, true),
    sampleRate: view.getUint32(at + 4, true),
    blockAlign: view.getUint16(at + 12, true),
    bitsPerSample: view.getUint16(at + 14, true),
  };
  if (formatTag === FORMAT_EXTENSIBLE) {
    // WAVE_FORMAT_EXTENSIBLE keeps the real format in the first two bytes of the subformat GUID.
    if (size < 40) throw new WavFormatError(file, at, 'extensible fmt chunk shorter than 40 bytes');
    formatTag = view.getUint16(at + 24, true);
    fmt.formatTag = formatTag;
  }
  if (fmt.channels < 1 || fmt.channels > MAX_CHANNELS) {
    throw new WavFormatError(
      file,
      at + 2,
      `channel count ${fmt.channels} is not 1..${MAX_CHANNELS}`,
    );
  }
  if (fmt.sampleRate < 1000 || fmt.sampleRate > MAX_RATE) {
    throw new WavFormatError(
      file,
      at + 4,
      `sample rate ${fmt.sampleRate} Hz is not 1000..${MAX_RATE}`,
    );
  }
  const bytes = sampleBytes(fmt, file, at);
  if (fmt.blockAlign !== bytes * fmt.channels) {
    throw new WavFormatError(
      file,
      at + 12,
      `block align ${fmt.blockAlign} does not match ${fmt.channels} channel(s) of ${bytes} byte(s)`,
    );
  }
  return fmt;
}

function sampleBytes(fmt: FmtChunk, file: string, at: number): number {
  const { formatTag, bitsPerSample: bits } = fmt;
  const ok =
    (formatTag === FORMAT_PCM && (bits === 8 || bits === 16 || bits === 24 || bits === 32)) ||
    (formatTag === FORMAT_FLOAT && (bits === 32 || bits === 64)) ||
    ((formatTag === FORMAT_ALAW || formatTag === FORMAT_MULAW) && bits === 8);
  if (!ok) {
    throw new WavFormatError(
      file,
      at,
      `unsupported encoding (format tag ${formatTag}, ${bits} bits): use PCM 8/16/24/32-bit, float, mu-law or A-law`,
    );
  }
  return bits / 8;
}

function describe(fmt: FmtChunk): string {
  switch (fmt.formatTag) {
    case FORMAT_ALAW:
      return 'alaw';
    case FORMAT_MULAW:
      return 'ulaw';
    case FORMAT_FLOAT:
      return `float${fmt.bitsPerSample}`;
    default:
      return fmt.bitsPerSample === 8 ? 'u8' : `s${fmt.bitsPerSample}le`;
  }
}

/** Reads one interleaved sample as 16-bit, whatever the stored encoding. */
function makeSampleReader(fmt: FmtChunk, view: DataView): (at: number) => number {
  const clamp = (v: number) => (v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v));
  if (fmt.formatTag === FORMAT_FLOAT) {
    return fmt.bitsPerSample === 32
      ? (at) => clamp(view.getFloat32(at, true) * 32768)
      : (at) => clamp(view.getFloat64(at, true) * 32768);
  }
  switch (fmt.bitsPerSample) {
    case 24:
      return (at) => view.getInt16(at + 1, true);
    case 32:
      return (at) => view.getInt16(at + 2, true);
    default:
      return (at) => view.getInt16(at, true);
  }
}

function decodeData(fmt: FmtChunk, bytes: Uint8Array, start: number, frames: number): Int16Array[] {
  const n = fmt.channels;
  const direct: PcmFormat | undefined =
    fmt.formatTag === FORMAT_MULAW
      ? 'ulaw'
      : fmt.formatTag === FORMAT_ALAW
        ? 'alaw'
        : fmt.formatTag === FORMAT_PCM && fmt.bitsPerSample === 8
          ? 'u8'
          : undefined;
  const channels = Array.from({ length: n }, () => new Int16Array(frames));
  if (direct) {
    const all = decodePcm(direct, bytes.subarray(start, start + frames * n));
    for (let i = 0; i < frames; i++) for (let c = 0; c < n; c++) channels[c]![i] = all[i * n + c]!;
    return channels;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = makeSampleReader(fmt, view);
  const width = fmt.bitsPerSample / 8;
  for (let i = 0, at = start; i < frames; i++) {
    for (let c = 0; c < n; c++, at += width) channels[c]![i] = read(at);
  }
  return channels;
}

/**
 * Parses a RIFF/WAVE file. A data length of 0, 0xFFFFFFFF or past the end of the file is what a
 * recorder leaves when it was streaming or was killed; we then take the data up to the end of the
 * file (whole frames only) and say so in `lengthRepaired`. Anything else that does not add up is a
 * `WavFormatError` naming the byte offset.
 */
export function parseWav(bytes: Uint8Array, file = '<buffer>'): WavAudio {
  if (bytes.length < 12)
    throw new WavFormatError(file, 0, `only ${bytes.length} bytes, a WAV header needs 44`);
  if (ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') {
    const hint =
      ascii(bytes, 0) === 'RIFX' ? 'big-endian RIFX is not supported' : 'no RIFF/WAVE signature';
    throw new WavFormatError(file, 0, hint);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: FmtChunk | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'data') {
      if (!fmt) throw new WavFormatError(file, at, 'data chunk comes before the fmt chunk');
      const available = bytes.length - body;
      const repaired = size === 0 || size === 0xffffffff || size > available;
      const length = repaired ? available : size;
      const frames = Math.floor(length / fmt.blockAlign);
      return {
        sampleRate: fmt.sampleRate,
        sourceFormat: describe(fmt),
        channels: decodeData(fmt, bytes, body, frames),
        lengthRepaired: repaired,
      };
    }
    if (size > bytes.length - body) {
      throw new WavFormatError(
        file,
        at,
        `chunk '${printable(id)}' claims ${size} bytes but the file ends first`,
      );
    }
    if (id === 'fmt ') fmt = parseFmt(view, body, size, file);
    // RIFF chunks are padded to an even length.
    at = body + size + (size & 1);
  }
  throw new WavFormatError(file, at, fmt ? 'no data chunk' : 'no fmt chunk');
}

function printable(id: string): string {
  return id.replace(/[^\x20-\x7e]/g, '?');
}

export interface WavWriteOptions {
  sampleRate: number;
  /** Stored encoding; 8-bit WAV is unsigned by definition, so `s8` is not offered. */
  format?: Exclude<PcmFormat, 's8'>;
}

/** Builds a canonical WAV file (44-byte header, or 46 + fact for G.711) from 16-bit channels. */
export function buildWav(channels: Int16Array[], options: WavWriteOptions): Uint8Array {
  const format = options.format ?? 's16le';
  const n = channels.length;
  const frames = channels[0]?.length ?? 0;
  if (n < 1 || n > MAX_CHANNELS || channels.some((c) => c.length !== frames)) {
    throw new WavFormatError('<output>', 0, `need 1..${MAX_CHANNELS} channels of equal length`);
  }
  const interleaved = new Int16Array(frames * n);
  for (let i = 0; i < frames; i++)
    for (let c = 0; c < n; c++) interleaved[i * n + c] = channels[c]![i]!;
  const data = encodePcm(format, interleaved);
  const g711 = format === 'ulaw' || format === 'alaw';
  // Non-PCM formats need cbSize in fmt and a fact chunk (sample count) to satisfy strict readers.
  const fmtSize = g711 ? 18 : 16;
  const header = 12 + 8 + fmtSize + (g711 ? 12 : 0) + 8;
  const out = new Uint8Array(header + data.length + (data.length & 1));
  const view = new DataView(out.buffer);
  const put = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  const width = format === 's16le' ? 2 : 1;
  put(0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(
    20,
    format === 'ulaw' ? FORMAT_MULAW : format === 'alaw' ? FORMAT_ALAW : FORMAT_PCM,
    true,
  );
  view.setUint16(22, n, true);
  view.setUint32(24, options.sampleRate, true);
  view.setUint32(28, options.sampleRate * n * width, true);
  view.setUint16(32, n * width, true);
  view.setUint16(34, width * 8, true);
  let at = 20 + fmtSize;
  if (g711) {
    view.setUint16(36, 0, true);
    put(at, 'fact');
    view.setUint32(at + 4, 4, true);
    view.setUint32(at + 8, frames, true);
    at += 12;
  }
  put(at, 'data');
  view.setUint32(at + 4, data.length, true);
  out.set(data, at + 8);
  return out;
}

/** Mixes all channels to one (average), the form every detector here expects. */
export function toMono(audio: WavAudio): Int16Array {
  const [first, ...rest] = audio.channels;
  if (!first) return new Int16Array(0);
  if (rest.length === 0) return first;
  const out = new Int16Array(first.length);
  const n = audio.channels.length;
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (const ch of audio.channels) sum += ch[i]!;
    out[i] = Math.round(sum / n);
  }
  return out;
}
