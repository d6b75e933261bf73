/**
 * Time as the domain sees it. Calls wait for input and time out through this port, so the
 * simulator and tests can run a two-minute call in milliseconds on a virtual clock.
 */
export interface Clock {
  /** Milliseconds on this clock's own timeline (epoch ms for the real clock). */
  now(): number;
  /**
   * Milliseconds on a timeline that never jumps, for durations: only differences mean
   * anything. The wall clock (`now`) steps when NTP corrects it or a box without an RTC
   * learns the time after boot; a call's length must not step with it.
   */
  monotonicNow(): number;
  /** Resolves 'timeout' after `ms`, or 'aborted' as soon as `signal` aborts. Never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<'timeout' | 'aborted'>;
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  monotonicNow(): number {
    return performance.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<'timeout' | 'aborted'> {
    if (signal?.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve('aborted');
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve('timeout');
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
