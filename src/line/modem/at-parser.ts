import { Transform, type TransformCallback } from 'node:stream';
import { DLE, DleDecoder, type DleToken } from './dle-codec.js';

/** What the modem said, framed: a text line, a shielded event, audio, or the end of a stream. */
export type ModemToken = { kind: 'line'; text: string; truncated?: boolean } | DleToken;

/** Longer "lines" are line noise or a stream we mistook for text; cut them so memory stays flat. */
export const MAX_LINE_LENGTH = 256;

/**
 * Frames bytes from the modem. In command mode it yields CR/LF-terminated lines plus any
 * `<DLE>x` events (V.253 modems report events shielded even between commands). After the driver
 * arms it with `expectVoiceData()`, a `CONNECT` line switches it to voice-data mode, where bytes
 * are DLE-decoded into audio and events until `<DLE><ETX>` returns it to command mode. The switch
 * happens inside the parser because the first audio bytes usually share a chunk with CONNECT.
 */
export class AtParser extends Transform {
  #mode: 'command' | 'voice-data' = 'command';
  #armed = false;
  #line: number[] = [];
  #commandDle = false;
  /** CONNECT ends in CR LF; the LF after the switch is framing, not the first audio byte. */
  #skipLf = false;
  readonly #decoder = new DleDecoder();
  /** Offline replay does not know which commands were sent: treat every CONNECT as voice. */
  readonly #everyConnect: boolean;

  constructor(options: { voiceDataAfterEveryConnect?: boolean } = {}) {
    super({ readableObjectMode: true });
    this.#everyConnect = options.voiceDataAfterEveryConnect ?? false;
  }

  get mode(): 'command' | 'voice-data' {
    return this.#mode;
  }

  /** The next CONNECT starts DLE-shielded voice data (after AT+VRX or AT+VTR). */
  expectVoiceData(): void {
    this.#armed = true;
  }

  /** Back to command mode without waiting for `<DLE><ETX>` (after AT+VTX ends, or a reset). */
  commandMode(): void {
    this.#mode = 'command';
    this.#armed = false;
    this.#skipLf = false;
    this.#decoder.reset();
  }

  /** Synchronous core, used by the stream and directly by the replay tool and fuzz tests. */
  parse(chunk: Uint8Array, out: ModemToken[] = []): ModemToken[] {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#mode === 'voice-data') {
        if (this.#skipLf) {
          this.#skipLf = false;
          if (chunk[offset] === 0x0a) {
            offset++;
            continue;
          }
        }
        const before = out.length;
        offset += this.#decoder.push(offset === 0 ? chunk : chunk.subarray(offset), out);
        if (out.length > before && out[out.length - 1]!.kind === 'end-of-data') {
          this.#mode = 'command';
        }
      } else {
        offset = this.#parseCommand(chunk, offset, out);
      }
    }
    return out;
  }

  #parseCommand(chunk: Uint8Array, start: number, out: ModemToken[]): number {
    for (let i = start; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.#commandDle) {
        this.#commandDle = false;
        // <DLE><DLE> and <DLE><ETX> carry no meaning between commands: drop them.
        if (byte !== DLE && byte !== 0x03)
          out.push({ kind: 'event', code: String.fromCharCode(byte) });
        continue;
      }
      if (byte === DLE) {
        this.#commandDle = true;
      } else if (byte === 0x0d || byte === 0x0a) {
        if (this.#line.length > 0 && this.#endLine(out, false)) return i + 1;
      } else if (byte >= 0x20 && byte < 0x7f) {
        this.#line.push(byte);
        if (this.#line.length >= MAX_LINE_LENGTH && this.#endLine(out, true)) return i + 1;
      }
      // Other control bytes and 8-bit noise cannot be part of a result code: skip them.
    }
    return chunk.length;
  }

  /** Returns true when the line switched the parser into voice-data mode. */
  #endLine(out: ModemToken[], truncated: boolean): boolean {
    const text = String.fromCharCode(...this.#line).trim();
    this.#line = [];
    if (text === '') return false;
    out.push(truncated ? { kind: 'line', text, truncated } : { kind: 'line', text });
    if ((this.#armed || this.#everyConnect) && /^CONNECT\b/.test(text)) {
      this.#armed = false;
      this.#mode = 'voice-data';
      this.#skipLf = true;
      this.#decoder.reset();
      return true;
    }
    return false;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    for (const token of this.parse(chunk)) this.push(token);
    callback();
  }
}
