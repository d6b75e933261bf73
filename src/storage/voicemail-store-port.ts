import type { PseudonymousCaller } from '../call/call-record.js';

export interface VoicemailMessage {
  callId: string;
  caller: PseudonymousCaller;
  /** 8 kHz mono 16-bit audio of the message. */
  samples: Int16Array;
  createdAtMs: number;
}

export interface StoredVoicemail {
  id: string;
  callId: string;
  createdAtMs: number;
  expiresAtMs: number;
  callerHint: string | null;
  durationMs: number;
}

/**
 * Voicemail, the one feature that keeps audio: encrypted at rest, deleted when it expires.
 * Only exists when `call.voicemail.enabled` is set.
 */
export interface VoicemailStore {
  save(message: VoicemailMessage): Promise<StoredVoicemail>;
  list(nowMs: number): StoredVoicemail[];
  /** The decrypted audio of one message, for staff to listen to. */
  audio(id: string): Promise<Int16Array>;
}
