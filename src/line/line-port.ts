import type { TypedEmitter } from '../shared/typed-emitter.js';

/** The sixteen DTMF symbols (ITU-T Q.23). */
export type DtmfDigit =
  | '0'
  | '1'
  | '2'
  | '3'
  | '4'
  | '5'
  | '6'
  | '7'
  | '8'
  | '9'
  | '*'
  | '#'
  | 'A'
  | 'B'
  | 'C'
  | 'D';

export const DTMF_DIGITS: readonly DtmfDigit[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
];

export function isDtmfDigit(value: string): value is DtmfDigit {
  return (DTMF_DIGITS as readonly string[]).includes(value);
}

/**
 * Caller ID as the line delivered it. A number is raw only inside the line adapter and the call
 * session: it is pseudonymised before it reaches logs, storage, MQTT or the web page.
 */
export interface CallerId {
  /** Digits as received, or undefined when withheld or unavailable. */
  number?: string;
  name?: string;
  /** Why no number: the caller withheld it (`private`) or the network did not send it. */
  withheld?: 'private' | 'unavailable';
  receivedAt: Date;
}

/** 16-bit signed linear PCM, mono. Telephone lines deliver 8000 Hz. */
export interface AudioFrame {
  samples: Int16Array;
  sampleRate: number;
  /** Milliseconds since the call was answered. */
  timestampMs: number;
}

/**
 * Something to play to the caller. Text is always present (it is what the web page and the
 * simulator show, and what TTS renders); audio, when present, is what the line actually plays.
 */
export interface Prompt {
  id: string;
  text: string;
  audio?: AudioFrame;
  /** Whether a key press or speech may cut this prompt short (barge-in). */
  interruptible: boolean;
  /** Language of the text (picks the TTS voice), e.g. `en` or `de`. */
  language?: string;
}

export type PlayOutcome = 'completed' | 'interrupted' | 'hangup';

export type HangupCause = 'remote' | 'local' | 'line-fault';

export type LineState = 'down' | 'idle' | 'ringing' | 'connected' | 'transferring';

export interface TransferRequest {
  /** Named target from the flow, e.g. `reception`. */
  target: string;
  /** How the adapter hands over: switch the relay, or hook-flash and dial an extension. */
  method: 'relay' | 'hook-flash';
  extension?: string;
  /** How long to wait for someone to pick up before reporting `no-answer`. */
  answerTimeoutMs: number;
}

export type TransferOutcome = 'connected' | 'no-answer' | 'busy' | 'failed';

export interface LineEvents {
  /** An incoming ring; `count` starts at 1 for each call. */
  ring: { count: number };
  callerId: CallerId;
  /** Emitted once per key press, after the line answered. */
  dtmf: { digit: DtmfDigit; atMs: number; durationMs?: number };
  audio: AudioFrame;
  /** The call ended: the far end hung up, we hung up, or the line failed under us. */
  hangup: { cause: HangupCause };
  state: { state: LineState; detail?: string };
}

/**
 * The port between the call session and whatever meets the phone line: the simulator, a V.253
 * voice modem, or a sound card behind a line interface. Domain code sees only this.
 */
export interface Line {
  readonly kind: string;
  readonly events: TypedEmitter<LineEvents>;
  state(): LineState;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Take the line off hook and open the audio path. */
  answer(): Promise<void>;
  /** Resolves when the prompt finished, was interrupted through `signal`, or the call ended. */
  play(prompt: Prompt, signal?: AbortSignal): Promise<PlayOutcome>;
  transfer(request: TransferRequest): Promise<TransferOutcome>;
  /** Put the line back on hook. Safe to call when already idle. */
  hangup(): Promise<void>;
}
