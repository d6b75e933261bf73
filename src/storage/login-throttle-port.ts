export interface ThrottlePolicy {
  /** Failures counted within this window... */
  windowMs: number;
  /** ...up to this many before the key is locked... */
  maxFailures: number;
  /** ...for this long. */
  lockMs: number;
}

/** Failed-login counters per key (`user:<name>`, `client:<address>`, `setup:<address>`). */
export interface LoginThrottleStore {
  /** 0 when the key may try now, else the epoch ms its lock ends. */
  lockedUntil(key: string, nowMs: number): number;
  /** Counts one failure; returns the lock end when this failure locked the key, else 0. */
  recordFailure(key: string, nowMs: number, policy: ThrottlePolicy): number;
  clear(key: string): void;
}
