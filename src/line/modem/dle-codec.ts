/**
 * V.253 shielding: in voice data mode a DLE byte (0x10) introduces a two-byte code. Audio bytes
 * equal to DLE are sent doubled; anything else after DLE is an event (DCE to DTE) or a control
 * (DTE to DCE). `<DLE><ETX>` ends a stream in either direction.
 */
export const DLE = 0x10;
export const ETX = 0x03;
/** `<DLE><SUB>` stands for two audio DLE bytes on some modems (V.253 8.1.2). */
export const SUB = 0x1a;
export const CAN = 0x18;

export type DleToken =
  | { kind: 'audio'; bytes: Uint8Array }
  | { kind: 'event'; code: string }
  | { kind: 'end-of-data' };

/** Doubles every DLE so the modem plays it as audio; the input is not modified. */
export function dleEscape(audio: Uint8Array): Uint8Array {
  let dles = 0;
  for (const byte of audio) if (byte === DLE) dles++;
  if (dles === 0) return audio;
  const out = new Uint8Array(audio.length + dles);
  let j = 0;
  for (const byte of audio) {
    out[j++] = byte;
    if (byte === DLE) out[j++] = DLE;
  }
  return out;
}

/** A shielded control such as `<DLE><ETX>` or `<DLE>!`. */
export function dleControl(code: number | string): Uint8Array {
  const byte = typeof code === 'string' ? code.charCodeAt(0) : code;
  return Uint8Array.of(DLE, byte);
}

/**
 * Decodes a shielded stream chunk by chunk. A DLE at the end of a chunk is held until the next
 * one, so splitting the stream anywhere gives the same tokens. Audio runs are coalesced per chunk.
 * Stops at `<DLE><ETX>`: `push` returns how many bytes it consumed so the caller can hand the
 * rest (result codes after the stream) to the command-mode parser.
 */
export class DleDecoder {
  #pendingDle = false;

  get pendingDle(): boolean {
    return this.#pendingDle;
  }

  reset(): void {
    this.#pendingDle = false;
  }

  push<T>(chunk: Uint8Array, out: (DleToken | T)[]): number {
    const audio = new Uint8Array(chunk.length + 1);
    let audioLength = 0;
    const flushAudio = () => {
      if (audioLength > 0) {
        out.push({ kind: 'audio', bytes: audio.slice(0, audioLength) });
        audioLength = 0;
      }
    };
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (!this.#pendingDle) {
        if (byte === DLE) this.#pendingDle = true;
        else audio[audioLength++] = byte;
        continue;
      }
      this.#pendingDle = false;
      if (byte === DLE) {
        audio[audioLength++] = DLE;
      } else if (byte === SUB) {
        // Worst case two bytes from one input byte pair: the +1 slack above covers it.
        audio[audioLength++] = DLE;
        audio[audioLength++] = DLE;
      } else if (byte === ETX) {
        flushAudio();
        out.push({ kind: 'end-of-data' });
        return i + 1;
      } else {
        flushAudio();
        out.push({ kind: 'event', code: String.fromCharCode(byte) });
      }
    }
    flushAudio();
    return chunk.length;
  }
}
