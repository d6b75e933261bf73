import { type Clock, sleep } from '../../shared/timer-clock.js';

export interface PumpOptions {
  clock: Clock;
  /** Encoded audio bytes per millisecond of sound (8 for 8 kHz 8-bit). */
  bytesPerMs: number;
  /** How far ahead of real time to keep the modem's buffer filled. */
  leadMs: number;
  /** Size of each write, in milliseconds of sound. */
  chunkMs: number;
  write: (chunk: Uint8Array) => Promise<void>;
  /** Polled between chunks; true stops the pump at once. */
  stopped: () => boolean;
}

/**
 * Writes audio at the pace the modem plays it. Writing it all at once would fill the modem's
 * small buffer (overrun, or flow control stalls for seconds) and a barge-in could not cut the
 * prompt short; writing late makes it stutter. Resolves when the last sample has been played
 * (by the clock), or early with 'stopped'.
 */
export async function pumpAudio(
  audio: Uint8Array,
  options: PumpOptions,
): Promise<'completed' | 'stopped'> {
  const { clock, bytesPerMs, leadMs, chunkMs, write, stopped } = options;
  const chunkBytes = Math.max(1, Math.round(chunkMs * bytesPerMs));
  const start = clock.now();
  let sent = 0;
  while (sent < audio.length) {
    if (stopped()) return 'stopped';
    const due = Math.min(audio.length, Math.ceil((clock.now() - start + leadMs) * bytesPerMs));
    while (sent < due) {
      const end = Math.min(due, sent + chunkBytes);
      await write(audio.subarray(sent, end));
      sent = end;
      if (stopped()) return 'stopped';
    }
    if (sent < audio.length) await sleep(clock, chunkMs);
  }
  // Everything is in the modem; wait until it has been heard so "completed" means completed.
  const playedAt = start + audio.length / bytesPerMs;
  while (clock.now() < playedAt) {
    if (stopped()) return 'stopped';
    await sleep(clock, Math.min(chunkMs, playedAt - clock.now()));
  }
  return stopped() ? 'stopped' : 'completed';
}
