import type { StoredVoicemail, VoicemailMessage, VoicemailStore } from '../voicemail-store-port.js';

/** Voicemail kept in memory: for `linekeeper simulate` and tests, never for real callers. */
export class MemoryVoicemailStore implements VoicemailStore {
  readonly messages: (StoredVoicemail & { samples: Int16Array })[] = [];

  async save(message: VoicemailMessage): Promise<StoredVoicemail> {
    const stored = {
      id: `vm-${this.messages.length + 1}`,
      callId: message.callId,
      createdAtMs: message.createdAtMs,
      expiresAtMs: Number.POSITIVE_INFINITY,
      callerHint: message.caller.hint,
      durationMs: Math.round((message.samples.length / 8000) * 1000),
    };
    this.messages.push({ ...stored, samples: message.samples });
    return stored;
  }

  list(): StoredVoicemail[] {
    return this.messages.map(({ samples: _samples, ...m }) => m);
  }

  async audio(id: string): Promise<Int16Array> {
    const message = this.messages.find((m) => m.id === id);
    if (!message) throw new Error(`no voicemail ${id}`);
    return message.samples;
  }
}
