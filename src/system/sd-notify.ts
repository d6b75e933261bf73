import type { Logger } from '../shared/logger.js';
import type { Clock as TimerClock } from '../shared/timer-clock.js';
import { systemClock } from '../shared/timer-clock.js';
import type { NotifyTransport, OpenNotifyTransport } from './notify-transport.js';

/** What systemd asked for, read from the environment it gives a Type=notify service. */
export interface NotifySettings {
  /** NOTIFY_SOCKET: a path, or "@name" for an abstract socket. */
  socket: string;
  /** How often to ping: half of WATCHDOG_USEC, as sd_watchdog_enabled(3) advises; null: no watchdog. */
  pingEveryMs: number | null;
}

/**
 * null when NOTIFY_SOCKET is unset (run by hand, in tests, or as Type=simple): then every call
 * on the notifier is a no-op. WATCHDOG_PID names the process the watchdog is meant for; a
 * child that inherited the environment must not ping on its parent's behalf.
 */
export function notifySettingsFromEnv(env: NodeJS.ProcessEnv, pid: number): NotifySettings | null {
  const socket = env.NOTIFY_SOCKET;
  if (!socket) return null;
  const usec = Number(env.WATCHDOG_USEC);
  const forUs = env.WATCHDOG_PID === undefined || Number(env.WATCHDOG_PID) === pid;
  const pingEveryMs = forUs && Number.isFinite(usec) && usec > 0 ? Math.max(1, usec / 2000) : null;
  return { socket, pingEveryMs };
}

export interface SystemdNotifierOptions {
  settings: NotifySettings | null;
  /** Why the appliance cannot answer calls right now; empty when healthy. Read before each ping. */
  healthProblems: () => readonly string[];
  logger: Logger;
  /** Default: the datagram transport through libc (loaded only when systemd asks for it). */
  openTransport?: OpenNotifyTransport;
  timers?: TimerClock;
}

/** A status line must stay one line: it is one field of a newline-separated message. */
function statusField(text: string): string {
  return `STATUS=${text.replace(/\s*\n\s*/g, ' ').slice(0, 400)}`;
}

/**
 * Tells systemd when the appliance is answering calls (READY=1), keeps its watchdog fed only
 * while the health checks pass (WATCHDOG=1), and says when it is stopping (STOPPING=1).
 * Pings come from a timer on the main event loop, so a stalled loop stops them by itself;
 * an unhealthy line or store stops them on purpose. Either way systemd restarts the service
 * after WatchdogSec=, and meanwhile the relay has the line on the front desk.
 */
export class SystemdNotifier {
  readonly #options: SystemdNotifierOptions;
  readonly #timers: TimerClock;
  #transport: NotifyTransport | null = null;
  #timer: unknown = null;
  #lastProblems = '';
  #readyStatus = '';

  constructor(options: SystemdNotifierOptions) {
    this.#options = options;
    this.#timers = options.timers ?? systemClock;
  }

  /** Whether systemd is listening (NOTIFY_SOCKET was set). */
  enabled(): boolean {
    return this.#options.settings !== null;
  }

  async start(): Promise<void> {
    const settings = this.#options.settings;
    if (!settings || this.#transport) return;
    const open =
      this.#options.openTransport ??
      (await import('./datagram-notify-transport.js')).openDatagramNotifyTransport;
    this.#transport = await open(settings.socket);
  }

  /** The appliance is started and answering: systemd's start job completes now. */
  ready(status: string): void {
    this.#readyStatus = status;
    this.#lastProblems = '';
    this.#send(`READY=1\n${statusField(status)}`);
    this.#schedulePing();
  }

  status(text: string): void {
    this.#send(statusField(text));
  }

  /** Stops the pings first, so a slow stop is bounded by TimeoutStopSec=, not the watchdog. */
  stopping(status: string): void {
    this.#cancelPing();
    this.#send(`STOPPING=1\n${statusField(status)}`);
  }

  async stop(): Promise<void> {
    this.#cancelPing();
    this.#transport?.close();
    this.#transport = null;
  }

  #schedulePing(): void {
    const every = this.#options.settings?.pingEveryMs ?? null;
    if (every === null || !this.#transport) return;
    this.#cancelPing();
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.#ping();
      this.#schedulePing();
    }, every);
  }

  #cancelPing(): void {
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #ping(): void {
    let problems: readonly string[];
    try {
      problems = this.#options.healthProblems();
    } catch (error) {
      problems = [`health check failed: ${(error as Error).message}`];
    }
    const key = problems.join(', ');
    const changed = key !== this.#lastProblems;
    this.#lastProblems = key;
    if (problems.length === 0) {
      if (changed) this.#options.logger.info('healthy again: watchdog pings resumed');
      this.#send(changed ? `WATCHDOG=1\n${statusField(this.#readyStatus)}` : 'WATCHDOG=1');
      return;
    }
    if (!changed) return;
    this.#options.logger.error(
      { problems },
      'unhealthy: watchdog pings withheld, systemd restarts the service unless this clears',
    );
    this.#send(statusField(`unhealthy (${key}): line on the front desk`));
  }

  #send(message: string): void {
    if (!this.#transport) return;
    try {
      this.#transport.send(message);
    } catch (error) {
      // Never fatal: a lost STATUS is harmless, and a lost ping ends in the restart we want.
      this.#options.logger.warn({ err: error }, 'could not notify systemd');
    }
  }
}
