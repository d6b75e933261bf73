/**
 * Timer-level time source for the line drivers (modem, sound card): timeouts, ring gaps, DTMF
 * durations and audio pacing all go through it, so tests drive them with a manual clock instead
 * of sleeping. The domain uses the coarser sleep-based `Clock` in clock.ts.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
