import { spawnSync } from 'node:child_process';

/** Restarting the appliance after a switch: systemd on the box, a fake in tests. */
export interface ServiceControl {
  /** Restarts the unit and waits for it to be up (Type=notify: READY=1); false when it failed. */
  restart(unit: string): { ok: boolean; detail: string };
}

export const APPLIANCE_UNIT = 'linekeeper.service';

export class SystemctlServiceControl implements ServiceControl {
  restart(unit: string): { ok: boolean; detail: string } {
    // systemctl waits for the notify unit's READY=1 (TimeoutStartSec=90s in the unit).
    const result = spawnSync('systemctl', ['restart', unit], {
      encoding: 'utf8',
      timeout: 150_000,
    });
    if (result.error) return { ok: false, detail: `systemctl: ${result.error.message}` };
    return {
      ok: result.status === 0,
      detail:
        result.status === 0 ? `${unit} restarted` : result.stderr.trim() || `exit ${result.status}`,
    };
  }
}
