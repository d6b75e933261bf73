import { join, resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { ProvisioningTargets } from './apply-provisioning.js';
import { defaultBootDir } from './boot-dir.js';

export interface TargetOptions {
  /** The config file to merge into (the CLI's --config, default /etc/linekeeper/config.yaml). */
  configFile: string;
  /** Root of the system being provisioned: / on the box, a temp dir in tests. */
  root: string;
  /** Overrides the boot partition (default <root>/boot/firmware, or <root>/boot before bookworm). */
  bootDir?: string;
  now: Date;
}

/** Where the state directory is when the config cannot say (it is unreadable or invalid). */
const FALLBACK_STATE_DIR = 'var/lib/linekeeper';

/** Every path provisioning touches, from the root of the system it provisions. */
export function provisioningTargets(options: TargetOptions): ProvisioningTargets {
  const root = resolve(options.root);
  return {
    bootDir: options.bootDir ? resolve(options.bootDir) : defaultBootDir(root),
    configFile: resolve(options.configFile),
    stateDir: stateDirOf(options.configFile, root),
    networkDir: join(root, 'etc/NetworkManager/system-connections'),
    networkStateFile: join(root, 'var/lib/NetworkManager/NetworkManager.state'),
    etcDir: join(root, 'etc'),
    now: options.now,
  };
}

function stateDirOf(configFile: string, root: string): string {
  try {
    return resolve(loadConfig(configFile).config.dataDir);
  } catch {
    // The status must land somewhere the web page looks, even when the config is broken.
    return join(root, FALLBACK_STATE_DIR);
  }
}
