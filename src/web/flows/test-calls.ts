import type { Flow } from '../../ivr/flow-schema.js';
import { LinekeeperError } from '../../shared/errors.js';
import { TestCall, type TestCallSettings } from './test-call.js';

/** At most this many test calls run at once on the whole appliance (they cost CPU for TTS). */
export const MAX_TEST_CALLS = 2;
/** A test call is a try-out, not a conversation: five minutes at most. */
export const MAX_TEST_CALL_MS = 5 * 60_000;
/** A page that stopped asking for news (tab closed, laptop asleep) hangs its call up. */
const ABANDONED_AFTER_MS = 45_000;
/** An ended call's transcript stays readable this long, then it is gone. */
const KEEP_ENDED_MS = 2 * 60_000;
const SWEEP_MS = 5_000;

export class TestCallLimitError extends LinekeeperError {
  constructor(running: number) {
    super(
      'TEST_CALL_LIMIT',
      `${running} test calls are already running on this appliance; hang one up or wait until it ends`,
    );
  }
}

/**
 * The test calls of the admin page: few, short, owned by the admin who started them, and
 * cleaned up when they end, when their page goes away, or when the web app closes.
 */
export class TestCalls {
  readonly #settings: TestCallSettings;
  readonly #calls = new Map<string, TestCall>();
  #sweep: NodeJS.Timeout | null = null;

  constructor(settings: TestCallSettings) {
    this.#settings = {
      ...settings,
      maxCallMs: Math.min(settings.maxCallMs, MAX_TEST_CALL_MS),
    };
  }

  /** Starts a call on `flow`; the owner's earlier call, if still running, is hung up first. */
  async start(flow: Flow, owner: string): Promise<TestCall> {
    this.sweep();
    for (const call of this.#calls.values()) {
      if (call.owner === owner) {
        call.hangUp();
        this.#calls.delete(call.id);
      }
    }
    const running = [...this.#calls.values()].filter((c) => c.endedAtMs === null).length;
    if (running >= MAX_TEST_CALLS) throw new TestCallLimitError(running);
    const call = new TestCall(flow, owner, this.#settings);
    this.#calls.set(call.id, call);
    this.#startSweeping();
    await call.start();
    return call;
  }

  /** The call, if it exists and belongs to `owner`: another admin's id finds nothing. */
  get(id: string, owner: string): TestCall | null {
    const call = this.#calls.get(id);
    return call && call.owner === owner ? call : null;
  }

  /** Whether callers may speak (the appliance's speech engine is on). */
  get speech(): boolean {
    return this.#settings.speech;
  }

  running(): number {
    return [...this.#calls.values()].filter((c) => c.endedAtMs === null).length;
  }

  /** Hangs up abandoned calls and forgets ended ones; runs on a timer and on each start. */
  sweep(): void {
    const now = this.#settings.clock.now();
    for (const call of this.#calls.values()) {
      if (call.endedAtMs === null && now - call.lastSeenMs() > ABANDONED_AFTER_MS) call.hangUp();
      if (call.endedAtMs !== null && now - call.endedAtMs > KEEP_ENDED_MS)
        this.#calls.delete(call.id);
    }
    if (this.#calls.size === 0) this.#stopSweeping();
  }

  /** Hangs every call up and waits for them to end (web app closing). */
  async stop(): Promise<void> {
    this.#stopSweeping();
    const calls = [...this.#calls.values()];
    for (const call of calls) call.hangUp();
    await Promise.all(calls.map((c) => c.settled()));
    this.#calls.clear();
  }

  #startSweeping(): void {
    if (this.#sweep) return;
    this.#sweep = setInterval(() => this.sweep(), SWEEP_MS);
    this.#sweep.unref();
  }

  #stopSweeping(): void {
    if (this.#sweep) clearInterval(this.#sweep);
    this.#sweep = null;
  }
}
