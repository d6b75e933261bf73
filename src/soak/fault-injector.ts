import type { ApplianceSupervisor } from './appliance-supervisor.js';
import type { ClockJumper } from './clock-jumper.js';
import type { DiskFiller } from './disk-filler.js';
import type { EmulatedModemLink } from './emulated-modem-link.js';
import type { MqttObserver } from './mqtt-observer.js';
import type { SeededRandom } from './seeded-random.js';
import type { SoakBroker } from './soak-broker.js';
import { sleep, waitFor } from './soak-stats.js';
import { isHealthy, isOnFrontDesk, type StatusMonitor } from './status-monitor.js';

export const FAULT_KINDS = [
  'modem-unplug',
  'modem-hang',
  'broker-restart',
  'appliance-kill',
  'disk-full',
  'clock-jump',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRecord {
  kind: FaultKind;
  injectedAt: number;
  /** When line-select went to the front desk (or the process was gone); null if it never did. */
  failSafeAt: number | null;
  /** When the harness undid the fault (replug, power-cycle, broker start, process restart). */
  clearedAt: number | null;
  /** When the appliance was whole again; null if it did not recover in time. */
  recoveredAt: number | null;
  /** Acknowledged records checked against the database after an appliance kill. */
  recordsChecked?: number;
  recordsMissing?: string[];
  note?: string;
}

export interface FaultDeps {
  random: SeededRandom;
  link: EmulatedModemLink;
  broker: SoakBroker;
  mqtt: MqttObserver;
  supervisor: ApplianceSupervisor;
  monitor: StatusMonitor;
  disk: DiskFiller | null;
  clock: ClockJumper | null;
  /** Before a kill: every record id the web page acknowledged; after: which the DB lacks. */
  acknowledgedIds: () => Promise<string[]>;
  missingFromDatabase: (ids: string[]) => string[];
  /** The longest a fault may last before it is undone anyway. */
  maxHoldMs: number;
  recoveryTimeoutMs: number;
}

/**
 * Injects one fault at a time, undoes it the way a technician or the hardware would, and
 * measures how long the appliance took to hand the line to the front desk and to be whole again.
 */
export class FaultInjector {
  readonly records: FaultRecord[] = [];
  readonly #d: FaultDeps;
  #active: Promise<void> | null = null;
  #current: FaultKind | null = null;

  constructor(deps: FaultDeps) {
    this.#d = deps;
  }

  get busy(): boolean {
    return this.#active !== null;
  }

  /** The kind of the fault being injected or recovered from now, if any. */
  get activeKind(): FaultKind | null {
    return this.#current;
  }

  /** Starts a fault in the background; false when one is still running. */
  inject(kind: FaultKind, delayMs: number): boolean {
    if (this.#active) return false;
    this.#active = sleep(delayMs)
      .then(() => {
        this.#current = kind;
        return this.#run(kind);
      })
      .finally(() => {
        this.#active = null;
        this.#current = null;
      });
    return true;
  }

  async settled(): Promise<void> {
    await this.#active;
  }

  async #run(kind: FaultKind): Promise<void> {
    const d = this.#d;
    const record: FaultRecord = {
      kind,
      injectedAt: Date.now(),
      failSafeAt: null,
      clearedAt: null,
      recoveredAt: null,
    };
    this.records.push(record);
    const noteFailSafe = () => {
      const seen = d.monitor.latest();
      if (record.failSafeAt === null && seen.at >= record.injectedAt && isOnFrontDesk(seen))
        record.failSafeAt = seen.at;
    };
    const watcher = setInterval(noteFailSafe, 100);
    try {
      switch (kind) {
        case 'modem-unplug':
          await d.link.unplug();
          await this.#hold(record, d.random.int(1000, 5000), noteFailSafe);
          await d.link.plug();
          break;
        case 'modem-hang':
          d.link.setResponsive(false);
          // A hung modem stays hung until someone power-cycles it: wait for the appliance to
          // notice (or the longest hold), then a little more.
          await waitFor(() => record.failSafeAt !== null, d.maxHoldMs, 100);
          await sleep(d.random.int(500, 3000));
          d.link.setResponsive(true);
          break;
        case 'broker-restart':
          await d.broker.stop();
          await sleep(d.random.int(1000, 5000));
          d.mqtt.resetOnline();
          await d.broker.start();
          break;
        case 'appliance-kill':
          await this.#kill(record);
          break;
        case 'disk-full':
          if (!d.disk) {
            record.note = 'skipped: no small tmpfs for dataDir (run as root to enable)';
            return;
          }
          await d.disk.fill();
          await this.#hold(record, d.random.int(8000, 15000), noteFailSafe);
          await d.disk.release();
          break;
        case 'clock-jump':
          if (!d.clock) {
            record.note = 'skipped: libfaketime not installed (apt-get install faketime)';
            return;
          }
          // NTP stepping the clock forward an hour, calls going on, then stepping it back.
          d.clock.step(3600);
          await this.#hold(record, d.random.int(4000, 15000), noteFailSafe);
          d.clock.step(-3600);
          // libfaketime reads the offset at most once a second: let the step land first.
          await sleep(1500);
          break;
      }
      record.clearedAt = Date.now();
      await this.#awaitRecovery(record, kind);
    } finally {
      clearInterval(watcher);
    }
  }

  async #hold(record: FaultRecord, ms: number, tick: () => void): Promise<void> {
    const until = record.injectedAt + ms;
    while (Date.now() < until) {
      tick();
      await sleep(100);
    }
  }

  async #kill(record: FaultRecord): Promise<void> {
    const d = this.#d;
    const acknowledged = await d.acknowledgedIds();
    const oldPid = d.supervisor.kill();
    record.failSafeAt = Date.now(); // the process is gone: systemd's ExecStopPost releases the relay
    // The supervisor restarts the process after its RestartSec; "cleared" is the new spawn.
    await waitFor(() => d.supervisor.pid !== null && d.supervisor.pid !== oldPid, 60_000, 20);
    record.clearedAt = Date.now();
    record.recordsChecked = acknowledged.length;
    record.recordsMissing = d.missingFromDatabase(acknowledged);
  }

  async #awaitRecovery(record: FaultRecord, kind: FaultKind): Promise<void> {
    const d = this.#d;
    const clearedAt = record.clearedAt ?? Date.now();
    const ok = await waitFor(
      async () => {
        const observed = await d.monitor.poll();
        if (!isHealthy(observed)) return false;
        return kind !== 'broker-restart' || d.mqtt.onlineAt >= clearedAt;
      },
      d.recoveryTimeoutMs,
      100,
    );
    if (ok) record.recoveredAt = Date.now();
    else {
      const s = d.monitor.latest().status;
      record.note = `not recovered within ${d.recoveryTimeoutMs} ms: line ${s?.line.state ?? 'unreachable'}, line-select ${s?.relays.lineSelect ?? '?'}`;
    }
  }
}
