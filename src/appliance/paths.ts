import { resolve } from 'node:path';
import type { Config } from '../config/config-schema.js';

/** Where the appliance keeps its files, all under dataDir (StateDirectory under systemd). */
export function dataPaths(config: Config) {
  const dataDir = resolve(config.dataDir);
  return {
    dataDir,
    database: resolve(dataDir, 'linekeeper.db'),
    deviceSecret: resolve(dataDir, 'device-secret'),
    promptCache: resolve(dataDir, 'prompt-cache'),
    voicemail: resolve(dataDir, 'voicemail'),
  };
}
