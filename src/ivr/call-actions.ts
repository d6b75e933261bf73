import type { MenuChoice } from '../call/call-record.js';
import type { CallerInput } from '../call/caller-input-queue.js';
import type { PlayOutcome, TransferOutcome, TransferRequest } from '../line/line-port.js';

/**
 * What a flow may do to the call it runs. The call session implements it; when the caller hangs
 * up, every method throws CallEnded so the flow unwinds without checks at each step.
 */
export interface CallActions {
  /** Plays text; an interruptible prompt stops as soon as the caller presses or says something. */
  say(id: string, text: string, interruptible: boolean): Promise<PlayOutcome>;
  hasTypeAhead(): boolean;
  clearTypeAhead(): void;
  waitForInput(timeoutMs: number): Promise<CallerInput | null>;
  /** Phrases the recogniser should listen for now, or null for none. */
  listenFor(phrases: readonly string[] | null): void;
  transfer(request: TransferRequest): Promise<TransferOutcome>;
  recordChoice(choice: Omit<MenuChoice, 'atMs'>): void;
  /** The action that decided where the call went; `topic` for callback and info routes. */
  recordRoute(route: string, topic?: string): void;
}
