import { parseDocument } from 'yaml';
import type { Config } from '../config/config-schema.js';
import { parseConfigText } from '../config/load-config.js';
import type { BootFile } from './boot-file-schema.js';

export interface MergedConfig {
  text: string;
  config: Config;
  /** Dotted keys this changed, for the status file and the journal. */
  changedKeys: string[];
}

/**
 * The config file with the boot-file settings written in, through yaml's Document API so the
 * technician's comments and every other key stay as they were. The result is validated with the
 * real config loader before anything is written: a boot file cannot leave a config the
 * appliance refuses. Throws ConfigInvalidError (naming the config file) when it would.
 */
export function mergeBootSettings(
  configText: string,
  configFile: string,
  boot: BootFile,
): MergedConfig {
  const doc = parseDocument(configText);
  const changedKeys: string[] = [];
  const set = (path: string[], value: unknown) => {
    const before = doc.getIn(path);
    if (before === value) return;
    doc.setIn(path, value);
    changedKeys.push(path.join('.'));
  };
  if (boot.site !== undefined) set(['device', 'name'], boot.site);
  if (boot.deviceId !== undefined) set(['device', 'id'], boot.deviceId);
  if (boot.language !== undefined) set(['speech', 'language'], boot.language);
  if (boot.mqtt !== undefined) {
    set(['mqtt', 'enabled'], true);
    set(['mqtt', 'url'], boot.mqtt.url);
    // Absent means none: credentials from an earlier file must not linger.
    set(['mqtt', 'username'], boot.mqtt.username ?? null);
    set(['mqtt', 'password'], boot.mqtt.password ?? null);
  }
  const text = doc.toString();
  const config = parseConfigText(text, configFile);
  return { text, config, changedKeys };
}
