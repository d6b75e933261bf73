import type { ApplianceStatus } from '../status/status-sink-port.js';
import type { CallView } from '../web/call-view.js';
import type { WebSession } from './web-session.js';

/** What the harness last saw of the appliance, as the web page's JSON API reports it. */
export interface ObservedStatus {
  at: number;
  /** False while the process is down or not answering HTTP. */
  reachable: boolean;
  status: ApplianceStatus | null;
}

/** True when the appliance owns the line and can take a call: what "recovered" means here. */
export function isHealthy(observed: ObservedStatus): boolean {
  const s = observed.status;
  return (
    observed.reachable &&
    s !== null &&
    s.relays.lineSelect === 'appliance' &&
    s.line.state !== 'down'
  );
}

/** True when a ring would reach the front-desk phone: the process is down or released the line. */
export function isOnFrontDesk(observed: ObservedStatus): boolean {
  return !observed.reachable || observed.status?.relays.lineSelect === 'front-desk';
}

/**
 * An HTTP client of the appliance's web page, as a receptionist's browser would use it: polls
 * /api/status and reads /api/calls. Every poll is kept briefly so a ring can be judged against
 * what line-select was at that moment, not only now.
 */
export class StatusMonitor {
  readonly #url: () => string | null;
  readonly #web: WebSession;
  readonly #history: ObservedStatus[] = [];
  #timer: NodeJS.Timeout | null = null;
  #polling = false;
  httpErrors = 0;
  requests = 0;
  /** Stages (prompt ids) each call was seen in: the challenge's prompts tell a challenged call. */
  readonly #stages = new Map<string, Set<string>>();

  constructor(url: () => string | null, web: WebSession) {
    this.#url = url;
    this.#web = web;
  }

  start(everyMs = 200): void {
    this.#timer = setInterval(() => void this.#poll(), everyMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  latest(): ObservedStatus {
    return this.#history[this.#history.length - 1] ?? { at: 0, reachable: false, status: null };
  }

  /** Observations from `since` on (kept for two minutes). */
  since(since: number): ObservedStatus[] {
    return this.#history.filter((o) => o.at >= since);
  }

  /** Polls now and returns the fresh observation. */
  async poll(): Promise<ObservedStatus> {
    await this.#poll();
    return this.latest();
  }

  /** The stages /api/status showed for a call (polled every 200 ms: prompts of a second on). */
  stagesOf(callId: string): ReadonlySet<string> {
    return this.#stages.get(callId) ?? new Set();
  }

  async calls(limit = 50): Promise<CallView[] | null> {
    const url = this.#url();
    if (!url) return null;
    try {
      this.requests++;
      const response = await this.#web.get(url, `/api/calls?limit=${limit}`, 3000);
      if (!response.ok) {
        this.httpErrors++;
        return null;
      }
      return ((await response.json()) as { calls: CallView[] }).calls;
    } catch {
      return null;
    }
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    const url = this.#url();
    let observed: ObservedStatus = { at: Date.now(), reachable: false, status: null };
    if (url) {
      try {
        this.requests++;
        const response = await this.#web.get(url, '/api/status', 2000);
        if (response.ok)
          observed = {
            at: Date.now(),
            reachable: true,
            status: (await response.json()) as ApplianceStatus,
          };
        else this.httpErrors++;
      } catch {
        observed = { at: Date.now(), reachable: false, status: null };
      }
    }
    this.#history.push(observed);
    const current = observed.status?.currentCall;
    if (current) {
      const seen = this.#stages.get(current.callId) ?? new Set<string>();
      seen.add(current.stage);
      this.#stages.set(current.callId, seen);
    }
    const cutoff = Date.now() - 120_000;
    while (this.#history.length > 0 && this.#history[0]!.at < cutoff) this.#history.shift();
    this.#polling = false;
  }
}
