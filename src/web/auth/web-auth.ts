import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../shared/logger.js';
import { WallClockSteps } from '../../shared/wall-clock-steps.js';
import type { AuditEntry, AuditLog } from '../../storage/audit-log-port.js';
import type { LoginThrottleStore, ThrottlePolicy } from '../../storage/login-throttle-port.js';
import type { SessionStore } from '../../storage/session-store-port.js';
import type { UserStore, WebUser } from '../../storage/user-store-port.js';
import { readCookie, serializeCookie } from '../plugins/cookies.js';
import { hashSecret } from './password-hash.js';
import { newSetupCode } from './setup-code.js';
import type { TotpFactor } from './totp-factor.js';
import { PendingLogins } from './totp-pending-logins.js';

export interface SessionPolicy {
  /** A session unused this long ends (sliding). */
  idleMs: number;
  /** A session ends this long after login, used or not. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
};

/** Five wrong passwords within 15 minutes lock the account (or the client) for 15 minutes. */
export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  maxFailures: 5,
  lockMs: 15 * 60_000,
};

export interface WebSession {
  user: WebUser;
  csrfToken: string;
  tokenHash: string;
}

export interface WebAuthOptions {
  users: UserStore;
  sessions: SessionStore;
  throttle: LoginThrottleStore;
  audit: AuditLog;
  /** The optional second factor (TOTP) of each account. */
  totp: TotpFactor;
  logger: Logger;
  /** HTTPS: cookies get Secure and the __Host- prefix, and Origin must be https. */
  secure: boolean;
  now?: () => number;
  /**
   * A clock that never steps, to tell a stepped wall clock from time that passed. Defaults to
   * performance.now, or to `now` when that is given (a test's clock moves both at once).
   */
  monotonicNow?: () => number;
  sessionPolicy?: SessionPolicy;
  throttlePolicy?: ThrottlePolicy;
  /** Where the first-run setup code goes; the journal by default. */
  announceSetupCode?: (code: string) => void;
}

/** Writes to the session row at most this often: an SD card should not see a write per click. */
const TOUCH_EVERY_MS = 60_000;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Sessions, setup code, lockouts and the audit trail of the admin page, in one place so the
 * routes stay about pages.
 */
export class WebAuth {
  readonly users: UserStore;
  readonly throttle: LoginThrottleStore;
  readonly throttlePolicy: ThrottlePolicy;
  readonly secure: boolean;
  readonly sessionCookie: string;
  readonly formCookie: string;
  readonly now: () => number;
  readonly totp: TotpFactor;
  /** Logins past the password, waiting for the one-time code. */
  readonly pendingLogins = new PendingLogins();
  /** Holds the pending-login token between the password and the code step. */
  readonly pendingCookie: string;
  readonly #sessions: SessionStore;
  readonly #audit: AuditLog;
  readonly #logger: Logger;
  readonly #sessionPolicy: SessionPolicy;
  readonly #announce: (code: string) => void;
  readonly #clockSteps: WallClockSteps;

  constructor(options: WebAuthOptions) {
    this.users = options.users;
    this.throttle = options.throttle;
    this.throttlePolicy = options.throttlePolicy ?? DEFAULT_THROTTLE_POLICY;
    this.secure = options.secure;
    // __Host-: the browser accepts it only over HTTPS, for this host, with Path=/.
    this.sessionCookie = options.secure ? '__Host-lk_session' : 'lk_session';
    this.formCookie = options.secure ? '__Host-lk_form' : 'lk_form';
    this.pendingCookie = options.secure ? '__Host-lk_login' : 'lk_login';
    this.totp = options.totp;
    this.now = options.now ?? Date.now;
    this.#sessions = options.sessions;
    this.#audit = options.audit;
    this.#logger = options.logger;
    this.#sessionPolicy = options.sessionPolicy ?? DEFAULT_SESSION_POLICY;
    this.#clockSteps = new WallClockSteps({
      wallNow: this.now,
      monotonicNow: options.monotonicNow ?? (options.now ? options.now : () => performance.now()),
    });
    this.#announce =
      options.announceSetupCode ??
      ((code) =>
        this.#logger.warn(
          { setupCode: code },
          `first-run setup: no admin account yet; open the admin page at /setup and enter the setup code ${code}`,
        ));
  }

  /** At start: while no admin exists, a fresh one-time code (only its hash is kept). */
  async prepareSetup(): Promise<void> {
    if (this.users.hasAdmin()) return;
    const code = newSetupCode();
    this.users.saveSetupCodeHash(await hashSecret(code), this.now());
    this.#announce(code);
  }

  currentSession(request: FastifyRequest): WebSession | null {
    const token = readCookie(request.headers.cookie, this.sessionCookie);
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const tokenHash = sha256(token);
    this.#followClockStep();
    const now = this.now();
    const found = this.#sessions.find(tokenHash, now);
    if (!found) return null;
    if (now - found.lastSeenAt >= TOUCH_EVERY_MS) {
      this.#sessions.touch(tokenHash, now, this.#expiry(found.createdAt, now));
    }
    return { user: found.user, csrfToken: found.csrfToken, tokenHash };
  }

  /**
   * Sessions expire on the wall clock (they outlive restarts); when the clock is stepped (NTP
   * at boot, an admin setting the time), they move with it instead of ending or living an hour
   * longer. A step while the process was not running is not seen.
   */
  #followClockStep(): void {
    const stepMs = this.#clockSteps.step();
    if (stepMs === 0) return;
    try {
      const moved = this.#sessions.shiftTimes(stepMs);
      this.#logger.warn(
        { stepMs, sessions: moved },
        'wall clock stepped; login sessions moved with it',
      );
    } catch (error) {
      // Storage failing (a full disk): sessions keep their times; logins may end early.
      this.#logger.error({ err: error, stepMs }, 'wall clock stepped; sessions could not be moved');
    }
  }

  startSession(reply: FastifyReply, user: WebUser): void {
    const now = this.now();
    this.#sessions.deleteExpired(now);
    const token = randomBytes(32).toString('base64url');
    this.#sessions.create({
      tokenHash: sha256(token),
      userId: user.id,
      csrfToken: randomBytes(32).toString('base64url'),
      nowMs: now,
      expiresAt: this.#expiry(now, now),
    });
    reply.header('set-cookie', [
      serializeCookie(this.sessionCookie, token, { secure: this.secure }),
      serializeCookie(this.formCookie, '', { secure: this.secure, clear: true }),
    ]);
  }

  endSession(reply: FastifyReply, session: WebSession): void {
    this.#sessions.delete(session.tokenHash);
    reply.header(
      'set-cookie',
      serializeCookie(this.sessionCookie, '', { secure: this.secure, clear: true }),
    );
  }

  /**
   * The token a login or setup form carries before there is a session (double submit: the same
   * random value in an HttpOnly SameSite=Strict cookie and in the form).
   */
  formToken(request: FastifyRequest, reply: FastifyReply): string {
    const existing = readCookie(request.headers.cookie, this.formCookie);
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const token = randomBytes(32).toString('base64url');
    reply.header('set-cookie', serializeCookie(this.formCookie, token, { secure: this.secure }));
    return token;
  }

  formCookieValue(request: FastifyRequest): string | undefined {
    return readCookie(request.headers.cookie, this.formCookie);
  }

  audit(entry: Omit<AuditEntry, 'at'>): void {
    try {
      this.#audit.append({ ...entry, at: new Date(this.now()) });
    } catch (error) {
      // The refusal itself must still happen; the log says the trail has a gap.
      this.#logger.error({ err: error, action: entry.action }, 'audit entry could not be written');
    }
  }

  #expiry(createdAt: number, now: number): number {
    return Math.min(createdAt + this.#sessionPolicy.absoluteMs, now + this.#sessionPolicy.idleMs);
  }
}

/** `web:<user>` for the audit log; `web:anonymous` before login. */
export function actorOf(session: WebSession | null): string {
  return session ? `web:${session.user.username}` : 'web:anonymous';
}
