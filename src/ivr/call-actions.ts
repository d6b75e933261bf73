import type { MenuChoice } from '../call/call-record.js';
import type { CallerInput } from '../call/caller-input-queue.js';
import type { PlayOutcome, TransferOutcome, TransferRequest } from '../line/line-port.js';

/**
 * What a flow may do to the call it runs. The call session implements it; when the caller hangs
 * up, every method throws so the flow unwinds without checks at each step.
 */
export interface CallActions {
  /** Plays text; an interruptible prompt stops as soon as the caller presses or says something. */
  say(id: string, text: string, interruptible: boolean, language: string): Promise<PlayOutcome>;
  hasTypeAhead(): boolean;
  clearTypeAhead(): void;
  waitForInput(timeoutMs: number): Promise<CallerInput | null>;
  /** Phrases the recogniser should listen for now, or null for none. */
  listenFor(phrases: readonly string[] | null, language: string): void;
  transfer(request: TransferRequest): Promise<TransferOutcome>;
  recordChoice(choice: Omit<MenuChoice, 'atMs'>): void;
  /** The action that decided where the call went, with what the caller asked about. */
  recordRoute(route: string, detail?: { topic?: string; window?: string }): void;
  recordLanguage(language: string): void;
  /** Wall-clock time (epoch ms) for business hours; the session's clock. */
  nowEpochMs(): number;
  /**
   * Records a message after a beep, up to `maxMs`, until the caller presses # or hangs up, and
   * keeps it (encrypted) when voicemail is enabled. 'disabled' when it is not.
   */
  recordVoicemail(maxMs: number): Promise<'saved' | 'empty' | 'disabled'>;
  /** Night mode (set by staff or automation): every business-hours check answers closed. */
  nightMode(): boolean;
}
