import type { PseudonymousCaller } from '../call/call-record.js';
import type { Clock } from '../shared/clock.js';
import { TypedEmitter } from '../shared/typed-emitter.js';
import type { GuardBlock, GuardEvents, ScreenVerdict } from './guard-events.js';
import type { FloodGuardSettings } from './guard-settings.js';
import { LinePressure } from './line-pressure.js';
import { LoadBaseline } from './load-baseline.js';
import { SlidingCounter } from './sliding-counter.js';

export interface FloodGuardOptions {
  settings: FloodGuardSettings;
  clock: Pick<Clock, 'now'>;
  /** Keyed hashes (see CallerPseudonymizer.hashNumber) of numbers never challenged or limited. */
  allowList?: Iterable<string>;
  /** Keyed hashes of numbers always refused. */
  blockList?: Iterable<string>;
}

/** What the guard learns from storage at start: it must not forget a flood by restarting. */
export interface GuardHistory {
  /** Start times of recent calls (for the normal load). */
  callTimes: number[];
  /** Numbers that completed calls, with the time of their latest call. */
  knownCallers: { hash: string; lastSeenMs: number }[];
  blocks: GuardBlock[];
}

interface FloodState {
  startedAtMs: number;
  lastHotMs: number;
  screened: number;
  refused: number;
  challenged: number;
}

const ALL = '*';

/**
 * Decides, per ringing call, whether to admit, challenge or refuse the caller, and notices
 * floods. Pure: time comes from the injected clock, state from what the desk reports back.
 * A bot flood ties up a clinic's only line; the guard keeps each bot call short (refused calls
 * are hung up at once) and keeps bots away from menus and staff, while allow-listed and known
 * patients are never asked anything.
 */
export class FloodGuard {
  readonly events = new TypedEmitter<GuardEvents>();
  readonly #s: FloodGuardSettings;
  readonly #clock: Pick<Clock, 'now'>;
  #allow: Set<string>;
  #block: Set<string>;
  readonly #perCaller: SlidingCounter;
  readonly #global: SlidingCounter;
  readonly #failures: SlidingCounter;
  readonly #pressure: LinePressure;
  readonly #baseline = new LoadBaseline();
  readonly #blocks = new Map<string, GuardBlock>();
  /** hash -> when it became known (first completed call) and when last seen. */
  readonly #known = new Map<string, { sinceMs: number; lastSeenMs: number }>();
  readonly #verified = new Map<string, number>();
  #flood: FloodState | null = null;
  #lineFreedMs: number | null = null;
  /** The line pressure at the last screening was high enough to challenge strangers. */
  #suspect = false;
  /** Numbers with failures on record that passed once: the next pass verifies them. */
  readonly #onProbation = new Set<string>();

  constructor(options: FloodGuardOptions) {
    this.#s = options.settings;
    this.#clock = options.clock;
    this.#allow = new Set(options.allowList ?? []);
    this.#block = new Set(options.blockList ?? []);
    this.#perCaller = new SlidingCounter(options.settings.perCaller.windowMs);
    this.#global = new SlidingCounter(options.settings.flood.windowMs);
    this.#failures = new SlidingCounter(options.settings.blocking.failureWindowMs);
    this.#pressure = new LinePressure(options.settings.flood.windowMs);
  }

  /** Restores what storage remembers; call once before the first screen(). */
  seed(history: GuardHistory): void {
    for (const at of history.callTimes) this.#baseline.record(at);
    const known = this.#s.knownForMs;
    const now = this.#clock.now();
    for (const k of history.knownCallers) {
      if (now - k.lastSeenMs < known)
        this.#known.set(k.hash, { sinceMs: k.lastSeenMs - known, lastSeenMs: k.lastSeenMs });
    }
    for (const b of history.blocks) this.#blocks.set(b.hash, b);
  }

  /** Replaces the allow- and block-lists (config reload); takes effect at the next call. */
  setLists(allowList: Iterable<string>, blockList: Iterable<string>): void {
    this.#allow = new Set(allowList);
    this.#block = new Set(blockList);
  }

  /** Counts a ringing call and decides what happens to it. Call once per call, before answering. */
  screen(caller: PseudonymousCaller): ScreenVerdict {
    const now = this.#clock.now();
    // Patients the clinic already knows calling at once is a busy morning, not a flood.
    if (!this.#trusted(caller.hash, now)) {
      this.#global.add(ALL, now);
      if (this.#lineFreedMs !== null) this.#pressure.record(now, now - this.#lineFreedMs);
    }
    const verdict = this.#decide(caller, now);
    if (this.#flood) {
      this.#flood.screened++;
      if (verdict.action === 'refuse') this.#flood.refused++;
      if (verdict.action === 'challenge') this.#flood.challenged++;
    } else if (verdict.action === 'admit') {
      this.#baseline.record(now);
    }
    this.events.emit('call-screened', { atMs: now, caller, verdict });
    return verdict;
  }

  /** The caller answered the challenge (or not); repeated failures block the number. */
  challengeResult(caller: PseudonymousCaller, passed: boolean): void {
    const now = this.#clock.now();
    this.events.emit('challenge-result', { atMs: now, caller, passed });
    const hash = caller.hash;
    if (!hash) return;
    if (passed) {
      // One lucky guess (10^-digits) must not buy a bot a week without challenges: a number
      // with failures on record is verified only at its second pass in a row.
      const record = this.#failures.count(hash, now) > 0 || this.#blocks.has(hash);
      this.#failures.clear(hash);
      if (record && !this.#onProbation.delete(hash)) {
        this.#onProbation.add(hash);
        return;
      }
      this.#verified.set(hash, now + this.#s.verifiedForMs);
      return;
    }
    this.#onProbation.delete(hash);
    const failures = this.#failures.add(hash, now);
    const previous = this.#blocks.get(hash);
    // A number that was blocked before is blocked again at its first new failure; during a
    // flood, every challenge call a bot gets holds the line that people are trying to reach.
    const limit =
      this.#flood || this.#suspect
        ? this.#s.blocking.maxFailuresInFlood
        : this.#s.blocking.maxFailures;
    if (failures < limit && !previous) return;
    const level = (previous?.level ?? 0) + 1;
    const duration = Math.min(
      this.#s.blocking.maxBlockMs,
      this.#s.blocking.blockMs * 2 ** (level - 1),
    );
    const block: GuardBlock = {
      hash,
      hint: caller.hint,
      untilMs: now + duration,
      level,
      reason: 'challenge-failures',
    };
    this.#blocks.set(hash, block);
    this.#failures.clear(hash);
    this.events.emit('caller-blocked', { atMs: now, block });
  }

  /** A call that went through the flow ended; outside a flood its caller becomes known. */
  callCompleted(caller: PseudonymousCaller): void {
    const hash = caller.hash;
    if (!hash) return;
    const now = this.#clock.now();
    const known = this.#known.get(hash);
    if (known) known.lastSeenMs = now;
    else if (!this.#flood) this.#known.set(hash, { sinceMs: now, lastSeenMs: now });
  }

  /**
   * The line is free again after a call (answered, challenged or refused alike): the next
   * stranger ringing within seconds was waiting for it.
   */
  lineFreed(): void {
    this.#lineFreedMs = this.#clock.now();
  }

  /** Ends a flood that has gone quiet; call every minute or so (screen() also does it). */
  tick(): void {
    this.#updateFlood(this.#clock.now(), false);
  }

  inFlood(): boolean {
    return this.#flood !== null;
  }

  /** The flood in progress, for the status and the dashboard; null when the line is calm. */
  floodState(): {
    startedAtMs: number;
    screened: number;
    refused: number;
    challenged: number;
  } | null {
    if (!this.#flood) return null;
    const { startedAtMs, screened, refused, challenged } = this.#flood;
    return { startedAtMs, screened, refused, challenged };
  }

  /** Current blocks, for storage and the dashboard. */
  blocks(): GuardBlock[] {
    const now = this.#clock.now();
    return [...this.#blocks.values()].filter((b) => b.untilMs > now);
  }

  /** Lifts a block by hand (staff on the dashboard): the caller is a person after all. */
  unblock(hash: string): boolean {
    this.#failures.clear(hash);
    return this.#blocks.delete(hash);
  }

  /** Everything the guard holds about one number goes (a data-subject erasure). */
  forget(hash: string): void {
    this.unblock(hash);
    this.#perCaller.clear(hash);
    this.#known.delete(hash);
    this.#verified.delete(hash);
    this.#onProbation.delete(hash);
  }

  #trusted(hash: string | null, now: number): boolean {
    if (!hash) return false;
    if (this.#allow.has(hash)) return true;
    const verifiedUntil = this.#verified.get(hash);
    if (verifiedUntil !== undefined && verifiedUntil > now) return true;
    return this.#isKnown(hash, now);
  }

  /** Known: completed a call long enough ago that a bot's first calls of a flood do not count. */
  #isKnown(hash: string, now: number): boolean {
    const known = this.#known.get(hash);
    return (
      known !== undefined &&
      now - known.sinceMs >= this.#s.knownAfterMs &&
      now - known.lastSeenMs < this.#s.knownForMs
    );
  }

  #decide(caller: PseudonymousCaller, now: number): ScreenVerdict {
    const hash = caller.hash;
    if (hash && this.#allow.has(hash)) {
      this.#updateFlood(now, true);
      return { action: 'admit', reason: 'allow-list' };
    }
    if (hash && this.#block.has(hash)) {
      this.#updateFlood(now, true);
      return { action: 'refuse', reason: 'block-list' };
    }
    const { flood, suspect } = this.#updateFlood(now, true);
    if (!hash) return this.#decideWithheld(flood, suspect);

    const block = this.#blocks.get(hash);
    const calls = this.#perCaller.add(hash, now);
    if (block && block.untilMs > now) return { action: 'refuse', reason: 'blocked' };
    if (calls > this.#s.perCaller.maxCalls) return { action: 'refuse', reason: 'caller-limit' };
    const verifiedUntil = this.#verified.get(hash);
    if (verifiedUntil !== undefined && verifiedUntil > now)
      return { action: 'admit', reason: 'verified' };
    if (this.#failures.count(hash, now) > 0 || (block && block.untilMs <= now))
      return { action: 'challenge', reason: 'recent-failure' };
    if (this.#isKnown(hash, now)) return { action: 'admit', reason: 'known' };
    if (flood) return { action: 'challenge', reason: 'flood' };
    // Not (yet) a flood worth an alert, but too fast for normal load to trust a stranger.
    if (suspect) return { action: 'challenge', reason: 'line-pressure' };
    return { action: 'admit', reason: 'normal-load' };
  }

  #decideWithheld(flood: boolean, suspect: boolean): ScreenVerdict {
    switch (this.#s.withheld) {
      case 'allow':
        return { action: 'admit', reason: 'normal-load' };
      case 'challenge':
        return { action: 'challenge', reason: 'withheld' };
      case 'challenge-in-flood':
        return flood || suspect
          ? { action: 'challenge', reason: 'withheld' }
          : { action: 'admit', reason: 'normal-load' };
      case 'refuse-in-flood':
        if (flood) return { action: 'refuse', reason: 'withheld' };
        return suspect
          ? { action: 'challenge', reason: 'withheld' }
          : { action: 'admit', reason: 'normal-load' };
    }
  }

  /**
   * Starts or ends the flood state; returns whether a flood is on, and whether the line
   * pressure is high enough to challenge strangers anyway.
   */
  #updateFlood(now: number, counted: boolean): { flood: boolean; suspect: boolean } {
    const { windowMs, minCalls, factor, normalCallsPerHour, calmMs, pressure } = this.#s.flood;
    const expectedPerHour = Math.max(normalCallsPerHour, this.#baseline.expectedPerHour(now) ?? 0);
    const threshold = Math.max(
      minCalls,
      Math.ceil((factor * expectedPerHour * windowMs) / 3_600_000),
    );
    const calls = this.#global.count(ALL, now);
    const pValue = this.#pressure.pValue(now, expectedPerHour);
    const byRate = calls >= threshold;
    const byPressure = pValue < pressure.floodBelow;
    const hot = counted && (byRate || byPressure);
    if (this.#flood) {
      // A wall clock stepped back would otherwise keep the flood (and every stranger's
      // challenge) on for the whole step instead of the calm period.
      if (now < this.#flood.lastHotMs) this.#flood.lastHotMs = now;
      if (hot) this.#flood.lastHotMs = now;
      else if (now - this.#flood.lastHotMs >= calmMs && !byRate && !byPressure) {
        const { startedAtMs, screened, refused, challenged } = this.#flood;
        this.#flood = null;
        this.events.emit('flood-ended', { atMs: now, startedAtMs, screened, refused, challenged });
      }
    } else if (hot) {
      this.#flood = { startedAtMs: now, lastHotMs: now, screened: 0, refused: 0, challenged: 0 };
      this.#forgetRecentlyKnown(now);
      this.events.emit('flood-started', {
        atMs: now,
        trigger: byRate ? 'rate' : 'line-pressure',
        callsInWindow: calls,
        pressureP: pValue,
        threshold,
        windowMs,
        expectedPerHour,
      });
    }
    this.#global.prune(now);
    if (counted) this.#suspect = pValue < pressure.challengeBelow;
    return { flood: this.#flood !== null, suspect: counted && this.#suspect };
  }

  /** Callers who first got through while the flood was building up are probably part of it. */
  #forgetRecentlyKnown(now: number): void {
    const since = now - 2 * this.#s.flood.windowMs;
    for (const [hash, k] of this.#known) if (k.sinceMs >= since) this.#known.delete(hash);
  }
}
