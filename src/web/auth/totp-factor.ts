import type { NumberSealer } from '../../privacy/number-sealer.js';
import type { TotpStore } from '../../storage/totp-store-port.js';
import { matchTotp, newTotpSecret } from './totp.js';

/** What a typed code turned out to be. */
export type CodeCheck = 'ok' | 'wrong' | 'replayed' | 'not-enrolled';

/**
 * The second factor of one account: enrolment (a pending secret until a code confirms it), the
 * code check at login with the replay guard, and removal. Secrets are sealed with a key derived
 * from the device secret and bound to the user id, so a row copied to another user fails.
 */
export class TotpFactor {
  readonly #store: TotpStore;
  readonly #sealer: NumberSealer;
  readonly #now: () => number;

  constructor(options: { store: TotpStore; sealer: NumberSealer; now: () => number }) {
    this.#store = options.store;
    this.#sealer = options.sealer;
    this.#now = options.now;
  }

  isEnabled(userId: number): boolean {
    return this.#store.get(userId)?.confirmed === true;
  }

  enabledUserIds(): Set<number> {
    return this.#store.enabledUserIds();
  }

  /** A fresh secret awaiting confirmation; null when one is already active (disable it first). */
  beginEnrolment(userId: number): Buffer | null {
    const secret = newTotpSecret();
    const sealed = this.#sealer.seal(secret, boundTo(userId));
    const saved = this.#store.savePending(
      userId,
      { sealed, keyId: this.#sealer.keyId },
      this.#now(),
    );
    return saved ? secret : null;
  }

  /** The secret of an enrolment not yet confirmed: shown until then, never after. */
  pendingSecret(userId: number): Buffer | null {
    const stored = this.#store.get(userId);
    if (!stored || stored.confirmed) return null;
    return this.#sealer.open(stored.sealed, boundTo(userId), stored.keyId);
  }

  /** Activates the pending secret when `code` is its current code. */
  confirm(userId: number, code: string): CodeCheck {
    const secret = this.pendingSecret(userId);
    if (!secret) return 'not-enrolled';
    const match = matchTotp(secret, code, this.#now(), 0);
    if (!match || 'replayed' in match) return 'wrong';
    return this.#store.confirm(userId, match.step, this.#now()) ? 'ok' : 'not-enrolled';
  }

  /** Checks a code against the active secret and spends it: the same code never works twice. */
  check(userId: number, code: string): CodeCheck {
    const stored = this.#store.get(userId);
    if (!stored?.confirmed) return 'not-enrolled';
    const secret = this.#sealer.open(stored.sealed, boundTo(userId), stored.keyId);
    const match = matchTotp(secret, code, this.#now(), stored.lastStep);
    if (!match) return 'wrong';
    if ('replayed' in match) return 'replayed';
    // Another request may have spent this step between the read and here.
    return this.#store.spendStep(userId, match.step) ? 'ok' : 'replayed';
  }

  remove(userId: number): boolean {
    return this.#store.remove(userId);
  }
}

function boundTo(userId: number): string {
  return `web-totp:${userId}`;
}
