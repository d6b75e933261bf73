import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BootFile } from './boot-file-schema.js';
import { renderWifiKeyfile, WIFI_KEYFILE_NAME } from './wifi-keyfile.js';

/** A file change planned before anything is written, so a bad input changes nothing. */
export type PlannedChange =
  | { kind: 'write'; file: string; content: string; mode: number; describe: string }
  | { kind: 'remove'; file: string; describe: string }
  | { kind: 'symlink'; link: string; target: string; describe: string };

export interface NetworkTargets {
  /** NetworkManager's keyfile directory (/etc/NetworkManager/system-connections). */
  networkDir: string;
  /** /var/lib/NetworkManager/NetworkManager.state: pi-gen images start with Wi-Fi disabled. */
  networkStateFile: string;
  /** The boot partition, for cmdline.txt (the Wi-Fi regulatory domain). */
  bootDir: string;
}

export interface NetworkPlan {
  changes: PlannedChange[];
  warnings: string[];
}

/**
 * Wi-Fi: a keyfile for the network, the country on the kernel command line (as Raspberry Pi
 * Imager does: cfg80211.ieee80211_regdom=XX; the radio stays blocked on 5 GHz boards until it
 * is set) and Wi-Fi enabled in NetworkManager's state. Ethernet: our Wi-Fi keyfile removed, so
 * NetworkManager's automatic wired connection (DHCP) is the only one.
 */
export function planNetwork(network: BootFile['network'], targets: NetworkTargets): NetworkPlan {
  const changes: PlannedChange[] = [];
  const warnings: string[] = [];
  const keyfile = join(targets.networkDir, WIFI_KEYFILE_NAME);
  if (network === undefined) return { changes, warnings };
  if (network.type === 'ethernet') {
    const describe = existsSync(keyfile)
      ? 'network: ethernet (Wi-Fi removed)'
      : 'network: ethernet';
    changes.push({ kind: 'remove', file: keyfile, describe });
    return { changes, warnings };
  }
  changes.push({
    kind: 'write',
    file: keyfile,
    // NetworkManager ignores keyfiles that others can read.
    mode: 0o600,
    content: renderWifiKeyfile({
      ssid: network.ssid!,
      psk: network.psk!,
      ...(network.hidden !== undefined ? { hidden: network.hidden } : {}),
    }),
    describe: `network: wifi "${network.ssid}"`,
  });
  const cmdline = join(targets.bootDir, 'cmdline.txt');
  if (existsSync(cmdline)) {
    changes.push({
      kind: 'write',
      file: cmdline,
      mode: 0o755,
      content: withRegdom(readFileSync(cmdline, 'utf8'), network.country!),
      describe: `wifi country ${network.country}`,
    });
  } else {
    warnings.push(
      `no cmdline.txt in ${targets.bootDir}: the Wi-Fi country ${network.country} was not put on the kernel command line; on a Raspberry Pi run: sudo raspi-config nonint do_wifi_country ${network.country}`,
    );
  }
  if (existsSync(targets.networkStateFile)) {
    const state = readFileSync(targets.networkStateFile, 'utf8');
    const enabled = withWirelessEnabled(state);
    if (enabled !== state) {
      changes.push({
        kind: 'write',
        file: targets.networkStateFile,
        mode: 0o644,
        content: enabled,
        describe: 'wifi enabled in NetworkManager',
      });
    }
  }
  return { changes, warnings };
}

/** cmdline.txt is one line; replace an earlier regulatory domain rather than add a second. */
export function withRegdom(cmdline: string, country: string): string {
  const line = (cmdline.split('\n')[0] ?? '')
    .replace(/\s*cfg80211\.ieee80211_regdom=\S*/g, '')
    .trim();
  return `${line} cfg80211.ieee80211_regdom=${country}\n`;
}

function withWirelessEnabled(state: string): string {
  return /^WirelessEnabled=/m.test(state)
    ? state.replace(/^WirelessEnabled=.*$/m, 'WirelessEnabled=true')
    : state;
}

/** Removing a file that is already gone is fine: applying twice must work. */
export function removeIfPresent(file: string): void {
  rmSync(file, { force: true });
}
