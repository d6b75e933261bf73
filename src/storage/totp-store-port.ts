/** A user's TOTP secret as stored: sealed (AES-256-GCM under a key outside the database). */
export interface StoredTotp {
  sealed: Buffer;
  /** Which device key sealed it; a replaced device secret is reported, not mis-decrypted. */
  keyId: string;
  /** False while enrolment waits for the first correct code. */
  confirmed: boolean;
  /** The last time step whose code was accepted: that code and older ones are spent. */
  lastStep: number;
}

/** Second-factor secrets of admin-page accounts, one per user. */
export interface TotpStore {
  get(userId: number): StoredTotp | undefined;
  /** Starts (or restarts) an enrolment; false when the user already has an active secret. */
  savePending(userId: number, secret: { sealed: Buffer; keyId: string }, nowMs: number): boolean;
  /** Activates a pending secret, spending the step of the code that confirmed it. */
  confirm(userId: number, step: number, nowMs: number): boolean;
  /**
   * Spends a time step if it is newer than the last one accepted, in one statement, so two
   * requests racing with the same code cannot both succeed. False: a replay.
   */
  spendStep(userId: number, step: number): boolean;
  /** Removes the secret (active or pending); false when there was none. */
  remove(userId: number): boolean;
  /** Users whose second factor is active. */
  enabledUserIds(): Set<number>;
}
