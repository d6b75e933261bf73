import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { ConfigInvalidError, ConfigUnreadableError } from '../../config/config-errors.js';
import type { Config } from '../../config/config-schema.js';
import { applySettingsOverride, loadConfig, parseConfigText } from '../../config/load-config.js';
import { writeFileAtomic } from '../../shared/write-file-atomic.js';
import { type SettingPath, valueAt } from './settings-fields.js';

const HEADER =
  '# Written by the linekeeper web page (/settings). Merged over the config file at start;\n' +
  '# keys here win. Check both with: linekeeper check-config\n';

/**
 * The web page's settings file (`<dataDir>/settings.yaml`, see load-config.ts). Every read goes
 * back to the files, so a technician's edit of config.yaml is seen without a restart; every
 * write is validated together with config.yaml exactly as the next start will read them.
 */
export class SettingsStore {
  readonly file: string;
  readonly #configFile: string | null;

  /** `configFile`: the file the appliance was started with; null when it ran on defaults. */
  constructor(options: { configFile: string | null; settingsFile: string }) {
    this.#configFile = options.configFile;
    this.file = options.settingsFile;
  }

  /** What the next start will run with: config file plus this file. */
  saved(): Config {
    const base = this.#base();
    const text = this.#text();
    return text === null ? base : applySettingsOverride(base, text, this.file);
  }

  /**
   * Writes `changes` over the settings file (only the keys whose value differs from what is
   * saved) and returns those keys. Throws ConfigInvalidError, naming the keys, when config file
   * and settings together would not load; then nothing is written.
   */
  save(changes: ReadonlyMap<SettingPath, unknown>): SettingPath[] {
    const current = this.saved();
    const override = this.#override();
    const changed: SettingPath[] = [];
    for (const [path, value] of changes) {
      if (sameValue(valueAt(current, path), value)) continue;
      setAt(override, path, value);
      changed.push(path);
    }
    if (changed.length === 0) return [];
    const text = `${HEADER}${stringify(override)}`;
    applySettingsOverride(this.#base(), text, this.file);
    mkdirSync(dirname(this.file), { recursive: true });
    // Atomic and durable, and 0600: the file may hold the MQTT password.
    writeFileAtomic(this.file, text, { mode: 0o600 });
    return changed;
  }

  #base(): Config {
    return this.#configFile === null
      ? parseConfigText('{}', '(defaults)')
      : loadConfig(this.#configFile, { override: false }).config;
  }

  #text(): string | null {
    try {
      return readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ConfigUnreadableError(this.file, error);
    }
  }

  #override(): Record<string, unknown> {
    const text = this.#text();
    if (text === null) return {};
    const value = parse(text) as unknown;
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value))
      throw new ConfigInvalidError(this.file, [{ path: '', message: 'not a mapping of keys' }]);
    return value as Record<string, unknown>;
  }
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
