import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GpioRelaySettings } from './create-gpio-relays.js';
import { findHeaderChip, lineOffset, sysfsNumber } from './gpio-chips/gpio-chip-info.js';
import { readSysfsChips } from './gpio-chips/read-sysfs-chips.js';
import { GpiodTools } from './gpiochip/gpiod-tools.js';
import { probeRelayDriver } from './probe-relay-driver.js';
import { explainErrno } from './relay-errors.js';
import { wiredRoles } from './relay-wiring.js';
import type { RelayRole } from './relays-port.js';
import { DEFAULT_SYSFS_ROOT, sysfsPinDirOf } from './sysfs/sysfs-paths.js';

const run = promisify(execFile);

export interface ReleasedPin {
  role: RelayRole;
  bcm: number;
  /** `gpio529` or `gpiochip0 line 17`. */
  line: string;
  outcome: 'released' | 'not-driven' | 'failed';
  detail: string;
}

/**
 * De-energises every wired relay without the appliance running: for systemd's ExecStopPost
 * after a crash or SIGKILL, because a sysfs output keeps its level when its process dies.
 */
export async function releaseRelays(settings: GpioRelaySettings): Promise<ReleasedPin[]> {
  const sysfsRoot = settings.sysfsRoot ?? DEFAULT_SYSFS_ROOT;
  const tools = new GpiodTools({ ...settings.gpiod, setpriv: null });
  const driver =
    settings.driver === 'auto'
      ? await probeRelayDriver({ devDir: settings.devDir ?? '/dev', sysfsRoot, tools })
      : settings.driver;
  const labels =
    settings.chipLabels && settings.chipLabels.length > 0 ? settings.chipLabels : undefined;
  return driver === 'sysfs'
    ? releaseSysfs(sysfsRoot, settings, labels)
    : releaseChardev(tools, settings, labels);
}

async function releaseSysfs(
  root: string,
  settings: GpioRelaySettings,
  labels: readonly string[] | undefined,
): Promise<ReleasedPin[]> {
  const chip = findHeaderChip(await readSysfsChips(root), root, labels);
  const results: ReleasedPin[] = [];
  for (const [role, bcm] of wiredRoles(settings.wiring)) {
    const number = sysfsNumber(chip, role, bcm);
    const dir = sysfsPinDirOf(root, number);
    const base = { role, bcm, line: `gpio${number}` };
    if (!existsSync(join(dir, 'value'))) {
      results.push({ ...base, outcome: 'not-driven', detail: 'not exported: nothing drives it' });
      continue;
    }
    try {
      writeFileSync(join(dir, 'active_low'), settings.wiring.activeLow ? '1' : '0');
      if (readFileSync(join(dir, 'direction'), 'utf8').trim() !== 'out') {
        results.push({ ...base, outcome: 'not-driven', detail: 'an input: nothing drives it' });
        continue;
      }
      writeFileSync(join(dir, 'value'), '0');
      results.push({ ...base, outcome: 'released', detail: 'value 0 (de-energised)' });
    } catch (error) {
      results.push({ ...base, outcome: 'failed', detail: explainErrno(error) });
    }
  }
  return results;
}

async function releaseChardev(
  tools: GpiodTools,
  settings: GpioRelaySettings,
  labels: readonly string[] | undefined,
): Promise<ReleasedPin[]> {
  await tools.probe();
  const chip = findHeaderChip(await tools.detect(), 'gpiodetect', labels);
  const results: ReleasedPin[] = [];
  for (const [role, bcm] of wiredRoles(settings.wiring)) {
    const offset = lineOffset(chip, role, bcm);
    const base = { role, bcm, line: `${chip.name} line ${offset}` };
    const args = tools.releaseArgs({
      chip: chip.name,
      offset,
      activeLow: settings.wiring.activeLow,
    });
    try {
      await run(tools.gpioset, args, { timeout: 2000 });
      results.push({ ...base, outcome: 'released', detail: 'set inactive' });
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
      const busy = /busy/i.test(stderr);
      results.push({
        ...base,
        outcome: 'failed',
        detail: busy
          ? `still held by another process (gpioinfo shows the consumer); stop it, or let systemd's KillMode=control-group end it: ${stderr}`
          : `${tools.gpioset} ${args.join(' ')}: ${stderr || (error as Error).message}`,
      });
    }
  }
  return results;
}
