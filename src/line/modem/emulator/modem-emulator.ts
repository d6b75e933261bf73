import type { Duplex } from 'node:stream';
import { AudioFormatError } from '../../../audio/audio-errors.js';
import { decodePcm, encodePcm, type PcmFormat } from '../../../audio/pcm-formats.js';
import { toMono } from '../../../audio/wav.js';
import { readWavFile } from '../../../audio/wav-file.js';
import { TypedEmitter } from '../../../shared/typed-emitter.js';
import type { DtmfDigit } from '../../line-port.js';
import { CAN, DLE, DleDecoder, type DleToken, dleEscape, ETX } from '../dle-codec.js';
import { callerIdLines, type EmulatedCallerId } from './caller-id-format.js';
import { EMULATED_MODEMS, type EmulatedModem } from './emulated-modems.js';
import { splitAtCommands } from './emulator-commands.js';

export type EmulatorStream = 'none' | 'transmit' | 'receive' | 'duplex';

export interface EmulatorEvents {
  /** Each command as the emulator understood it, e.g. `+VLS=1`, `E0`, `I3`. */
  command: { command: string };
  stream: { stream: EmulatorStream };
  hook: { offHook: boolean };
  flash: Record<string, never>;
  dialled: { digits: string };
}

const SILENCE: Readonly<Record<PcmFormat, number>> = {
  u8: 0x80,
  s8: 0,
  ulaw: 0xff,
  alaw: 0xd5,
  s16le: 0,
};
const FRAME_MS = 20;

/**
 * A V.253 voice modem in software, speaking over any byte stream (one end of a socat pty pair
 * in tests, so the driver's real serialport code runs). It answers AT commands like the chosen
 * family, streams audio at real-time pace while in voice receive, and can be told to ring,
 * send caller ID, press keys, play caller audio, hang up, send garbage or stop answering.
 */
export class ModemEmulator {
  readonly events = new TypedEmitter<EmulatorEvents>();
  readonly modem: EmulatedModem;
  readonly #port: Duplex;
  #echo = true;
  #verbose = true;
  #fclass = 0;
  #vcid = 0;
  #format: PcmFormat = 'u8';
  #offHook = false;
  #stream: EmulatorStream = 'none';
  #responsive = true;
  #commandBuffer = '';
  readonly #decoder = new DleDecoder();
  #receivedAudio: number[] = [];
  #callerAudio: Uint8Array = new Uint8Array(0);
  #audioTimer: ReturnType<typeof setInterval> | undefined;
  readonly #onData = (chunk: Buffer) => this.#receive(chunk);

  constructor(port: Duplex, modem: EmulatedModem | EmulatedModem['name'] = 'conexant') {
    this.#port = port;
    this.modem = typeof modem === 'string' ? EMULATED_MODEMS[modem] : modem;
  }

  start(): void {
    this.#port.on('data', this.#onData);
  }

  stop(): void {
    this.#port.off('data', this.#onData);
    this.#stopAudio();
  }

  get offHook(): boolean {
    return this.#offHook;
  }

  get stream(): EmulatorStream {
    return this.#stream;
  }

  get callerIdMode(): number {
    return this.#vcid;
  }

  /** A hung modem: reads and says nothing until made responsive again (replug, power cycle). */
  setResponsive(responsive: boolean): void {
    this.#responsive = responsive;
    if (!responsive) this.#stopAudio();
    else if (this.#stream === 'receive' || this.#stream === 'duplex') this.#startAudio();
  }

  /** Audio the driver played since the last call, decoded to 16-bit linear. */
  receivedAudio(): Int16Array {
    return decodePcm(this.#format, Uint8Array.from(this.#receivedAudio));
  }

  clearReceivedAudio(): void {
    this.#receivedAudio = [];
  }

  // --- things the telephone line does --------------------------------------------------

  ring(): void {
    if (this.#offHook) return;
    this.#send(this.#result('RING'));
  }

  /** Sends caller ID as this modem family prints it; nothing if the driver did not enable it. */
  callerId(callerId: EmulatedCallerId): void {
    if (this.#vcid === 0) return;
    const style = this.#vcid === 2 ? 'hex' : this.modem.callerIdStyle;
    for (const line of callerIdLines(callerId, style)) this.#send(`\r\n${line}\r\n`);
  }

  /** One key press. Conexant brackets it with start/stop codes; durations need real time. */
  async pressKey(digit: DtmfDigit, durationMs = 80): Promise<void> {
    if (this.modem.dtmfStyle === 'plain') {
      this.event(digit);
      return;
    }
    this.event('/');
    this.event(digit);
    await new Promise((resolve) => setTimeout(resolve, durationMs));
    this.event('~');
  }

  /** A shielded event `<DLE>code`, as the modem reports tones and hook changes. */
  event(code: string): void {
    this.#send(Uint8Array.of(DLE, code.charCodeAt(0)));
  }

  /** The caller hangs up; how the modem notices differs by line and country. */
  farEndHangup(
    how: 'busy' | 'dial-tone' | 'silence' | 'quiet' | 'loop-break' | 'no-carrier',
  ): void {
    const codes = {
      busy: 'b',
      'dial-tone': 'd',
      silence: 's',
      quiet: 'q',
      'loop-break': 'l',
    } as const;
    if (how === 'no-carrier') {
      this.#endStreamByModem();
      this.#send(this.#result('NO CARRIER'));
      return;
    }
    this.event(codes[how]);
  }

  /** Someone lifts a phone on the same line. */
  pickUpHandset(): void {
    this.event(this.modem.handsetCode);
  }

  sendGarbage(bytes: Uint8Array): void {
    this.#send(bytes);
  }

  /** Queues caller audio (8 kHz) for the driver; it is sent at real-time pace in voice receive. */
  playCallerAudio(samples: Int16Array): void {
    const encoded = encodePcm(this.#format, samples);
    const joined = new Uint8Array(this.#callerAudio.length + encoded.length);
    joined.set(this.#callerAudio);
    joined.set(encoded, this.#callerAudio.length);
    this.#callerAudio = joined;
  }

  /** Caller audio from a WAV file (8 kHz, as a phone line carries it). */
  async playCallerWav(path: string): Promise<Int16Array> {
    const wav = await readWavFile(path);
    if (wav.sampleRate !== 8000) {
      throw new AudioFormatError(
        `${path} is ${wav.sampleRate} Hz; the emulated line carries 8000 Hz`,
      );
    }
    const samples = toMono(wav);
    this.playCallerAudio(samples);
    return samples;
  }

  // --- serial side ---------------------------------------------------------------------

  #receive(chunk: Buffer): void {
    if (!this.#responsive) return;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#stream === 'transmit' || this.#stream === 'duplex' || this.#stream === 'receive') {
        const tokens: DleToken[] = [];
        offset += this.#decoder.push(chunk.subarray(offset), tokens);
        for (const token of tokens) this.#onStreamToken(token);
      } else {
        offset = this.#receiveCommand(chunk, offset);
      }
    }
  }

  #onStreamToken(token: DleToken): void {
    if (token.kind === 'audio') {
      // In voice receive the DTE has no audio to send; any stray bytes are ignored.
      if (this.#stream !== 'receive') for (const b of token.bytes) this.#receivedAudio.push(b);
      return;
    }
    const stream = this.#stream;
    if (token.kind === 'end-of-data' || token.code === '!' || token.code === '^') {
      if (token.kind === 'event' && token.code === '!' && stream === 'transmit') return;
      this.#setStream('none');
      if (stream !== 'transmit') this.#send(Uint8Array.of(DLE, ETX));
      this.#send(this.#result('OK'));
      this.#decoder.reset();
    } else if (token.code === String.fromCharCode(CAN)) {
      // Clear transmit buffer: nothing is buffered here beyond what was recorded.
    }
  }

  #receiveCommand(chunk: Buffer, offset: number): number {
    for (let i = offset; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.#echo && byte !== DLE) this.#send(Uint8Array.of(byte));
      if (byte === 0x0d) {
        const line = this.#commandBuffer.trim();
        this.#commandBuffer = '';
        if (line !== '') this.#execute(line);
        if (this.#stream !== 'none') return i + 1;
      } else if (byte >= 0x20 && byte < 0x7f) {
        this.#commandBuffer = (this.#commandBuffer + String.fromCharCode(byte)).slice(-200);
      }
    }
    return chunk.length;
  }

  #execute(line: string): void {
    const commands = splitAtCommands(line);
    if (commands === undefined) return; // Not an AT command: modems ignore line noise.
    const info: string[] = [];
    for (const command of commands) {
      this.events.emit('command', { command });
      const outcome = this.#run(command, info);
      if (outcome !== 'OK') {
        for (const text of info) this.#send(`\r\n${text}\r\n`);
        this.#send(this.#result(outcome));
        return;
      }
    }
    for (const text of info) this.#send(`\r\n${text}\r\n`);
    this.#send(this.#result('OK'));
  }

  #run(command: string, info: string[]): 'OK' | 'ERROR' | 'CONNECT' {
    if (command === '') return 'OK';
    const match = /^(\+[A-Z]+|&?[A-Z])(.*)$/.exec(command);
    if (!match) return 'ERROR';
    const name = match[1]!;
    const arg = match[2]!;
    const identity = this.modem.identity;
    switch (name) {
      case 'Z':
        this.#reset();
        return 'OK';
      case 'E':
        this.#echo = arg !== '0';
        return 'OK';
      case 'V':
        this.#verbose = arg !== '0';
        return 'OK';
      case 'Q':
      case '&F':
      case '&D':
      case '&C':
      case 'S':
      case 'M':
      case 'L':
        return 'OK';
      case 'H':
        this.#setHook(arg === '1');
        return 'OK';
      case 'I':
      case '+GMI':
      case '+GMM':
      case '+GMR': {
        const lines = identity[name === 'I' ? `ATI${arg === '0' ? '' : arg}` : `AT${name}`];
        if (!lines) return 'ERROR';
        info.push(...lines);
        return 'OK';
      }
      case '+FCLASS':
        if (arg === '=?') info.push('0,1,1.0,2,8');
        else if (arg === '?') info.push(String(this.#fclass));
        else if (/^=(0|1|2|8)$/.test(arg)) this.#fclass = Number(arg.slice(1));
        else return 'ERROR';
        return 'OK';
      case '+VCID':
        if (arg === '=?') info.push('(0-2)');
        else if (/^=[0-2]$/.test(arg)) this.#vcid = Number(arg.slice(1));
        else return 'ERROR';
        return 'OK';
      case '+VSM':
        return this.#sampleMode(arg, info);
      case '+VLS':
        if (arg === '=?') info.push('0,1');
        else if (arg === '=0' || arg === '=1') this.#setHook(arg === '=1');
        else return 'ERROR';
        return 'OK';
      case '+VTX':
      case '+VRX':
      case '+VTR':
        return this.#startStream(name, arg, info);
      case '+VTS':
        return this.#tones(arg);
      case '+VSD':
      case '+VGT':
      case '+VGR':
      case '+VIT':
      case '+VRA':
      case '+VRN':
      case '+VNH':
      case '+GCI':
        return this.#fclass === 8 || name === '+GCI' ? 'OK' : 'ERROR';
      default:
        return 'ERROR';
    }
  }

  #sampleMode(arg: string, info: string[]): 'OK' | 'ERROR' {
    if (arg === '=?') {
      for (const id of Object.keys(this.modem.sampleModes))
        info.push(`${id},"${this.modem.sampleModes[id]}",8,0,(8000),(0),(0)`);
      return 'OK';
    }
    const id = /^=(\d+)/.exec(arg)?.[1];
    const format = id === undefined ? undefined : this.modem.sampleModes[id];
    if (!format || this.#fclass !== 8) return 'ERROR';
    this.#format = format;
    return 'OK';
  }

  #startStream(name: string, arg: string, info: string[]): 'OK' | 'ERROR' | 'CONNECT' {
    if (name === '+VTR' && !this.modem.fullDuplex) return 'ERROR';
    if (arg === '=?') {
      info.push('(0-1)');
      return 'OK';
    }
    if (this.#fclass !== 8 || !this.#offHook || arg !== '') return 'ERROR';
    this.#decoder.reset();
    this.#setStream(name === '+VTX' ? 'transmit' : name === '+VRX' ? 'receive' : 'duplex');
    return 'CONNECT';
  }

  #tones(arg: string): 'OK' | 'ERROR' {
    if (this.#fclass !== 8 || !arg.startsWith('=')) return 'ERROR';
    const parts = arg.slice(1).split(',');
    let digits = '';
    for (const part of parts) {
      if (part === '!') this.events.emit('flash', {});
      else if (/^[0-9*#A-D]$/.test(part)) digits += part;
      else return 'ERROR';
    }
    if (digits !== '') this.events.emit('dialled', { digits });
    return 'OK';
  }

  #setHook(offHook: boolean): void {
    if (!offHook) this.#setStream('none');
    if (this.#offHook === offHook) return;
    this.#offHook = offHook;
    this.events.emit('hook', { offHook });
  }

  #setStream(stream: EmulatorStream): void {
    if (this.#stream === stream) return;
    this.#stream = stream;
    if (stream === 'receive' || stream === 'duplex') this.#startAudio();
    else this.#stopAudio();
    this.events.emit('stream', { stream });
  }

  #endStreamByModem(): void {
    if (this.#stream === 'none') return;
    const wasReceiving = this.#stream !== 'transmit';
    this.#setStream('none');
    if (wasReceiving) this.#send(Uint8Array.of(DLE, ETX));
  }

  #reset(): void {
    this.#echo = true;
    this.#verbose = true;
    this.#fclass = 0;
    this.#vcid = 0;
    this.#setHook(false);
    this.#setStream('none');
  }

  #startAudio(): void {
    if (this.#audioTimer || !this.#responsive) return;
    const frameBytes = (8000 * FRAME_MS) / 1000;
    this.#audioTimer = setInterval(() => {
      let frame: Uint8Array;
      if (this.#callerAudio.length > 0) {
        frame = this.#callerAudio.subarray(0, frameBytes);
        this.#callerAudio = this.#callerAudio.subarray(frame.length);
      } else {
        frame = new Uint8Array(frameBytes).fill(SILENCE[this.#format]);
      }
      this.#send(dleEscape(frame));
    }, FRAME_MS);
  }

  #stopAudio(): void {
    if (this.#audioTimer) clearInterval(this.#audioTimer);
    this.#audioTimer = undefined;
  }

  #result(text: 'OK' | 'ERROR' | 'CONNECT' | 'RING' | 'NO CARRIER'): string {
    if (this.#verbose) return `\r\n${text}\r\n`;
    const numeric = { OK: 0, CONNECT: 1, RING: 2, 'NO CARRIER': 3, ERROR: 4 }[text];
    return `${numeric}\r`;
  }

  #send(data: string | Uint8Array): void {
    if (!this.#responsive || this.#port.destroyed) return;
    this.#port.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }
}
