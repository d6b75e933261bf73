import { join } from 'node:path';
import type { PlannedChange } from './network-settings.js';

/**
 * The time zone the way systemd and Debian keep it: /etc/localtime a symlink into the zoneinfo
 * database, /etc/timezone its name. Call times in the log and business hours depend on it.
 */
export function planTimezone(timezone: string | undefined, etcDir: string): PlannedChange[] {
  if (timezone === undefined) return [];
  return [
    {
      kind: 'symlink',
      link: join(etcDir, 'localtime'),
      target: `/usr/share/zoneinfo/${timezone}`,
      describe: `timezone ${timezone}`,
    },
    {
      kind: 'write',
      file: join(etcDir, 'timezone'),
      content: `${timezone}\n`,
      mode: 0o644,
      describe: '',
    },
  ];
}
