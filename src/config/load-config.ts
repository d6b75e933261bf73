import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import type { InputProblem } from '../shared/errors.js';
import { schemaProblems } from '../shared/schema-problems.js';
import { parseYamlSource, type YamlSource } from '../shared/yaml-source.js';
import { ConfigInvalidError, ConfigNotFoundError, ConfigUnreadableError } from './config-errors.js';
import { type Config, ConfigSchema } from './config-schema.js';

export const DEFAULT_CONFIG_PATH = '/etc/linekeeper/config.yaml';
/**
 * Settings changed on the web page. The service cannot write /etc (ProtectSystem=strict, and
 * config.yaml is root's), so they go to this file in dataDir and are merged over config.yaml.
 */
export const SETTINGS_FILE_NAME = 'settings.yaml';
/** Keys that stay in config.yaml: the settings file lives in dataDir, so it cannot move it. */
const CONFIG_FILE_ONLY_KEYS = ['version', 'dataDir'];

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
const validate = ajv.compile<Config>(ConfigSchema);

export interface LoadedConfig {
  config: Config;
  /** The file read, or null when running on built-in defaults. */
  source: string | null;
  /** `<dataDir>/settings.yaml` when it exists and was merged in; null otherwise. */
  overrideSource: string | null;
}

/**
 * Loads the config, then the web page's settings file from its dataDir over it. An explicit
 * path must exist; the default path may be absent, and then the built-in defaults apply (so
 * `linekeeper run` works on a laptop with no setup). `{ override: false }`: config file only.
 */
export function loadConfig(
  explicitPath?: string,
  options: { override?: boolean } = {},
): LoadedConfig {
  const base = loadConfigFile(explicitPath);
  if (options.override === false) return { ...base, overrideSource: null };
  const file = settingsFilePath(base.config);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { ...base, overrideSource: null };
    throw new ConfigUnreadableError(file, error);
  }
  return { ...base, config: applySettingsOverride(base.config, text, file), overrideSource: file };
}

export function settingsFilePath(config: Pick<Config, 'dataDir'>): string {
  return resolve(config.dataDir, SETTINGS_FILE_NAME);
}

/**
 * The config with the settings file's keys over it (mappings merged key by key, anything else
 * replaced), validated as a whole. Problems name the settings file: config.yaml was valid on
 * its own, so whatever is wrong now came from there.
 */
export function applySettingsOverride(base: Config, text: string, file: string): Config {
  const source = parseYamlSource(text);
  if (source.syntaxProblems.length > 0) throw new ConfigInvalidError(file, source.syntaxProblems);
  const value = source.value ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigInvalidError(file, [
      { path: '', message: 'the settings file must be a mapping of keys', line: 1, column: 1 },
    ]);
  }
  const fixed = CONFIG_FILE_ONLY_KEYS.filter((key) => key in value).map((key) => {
    const pos = source.locate([key]);
    return {
      path: key,
      message: `cannot be set here; it stays in the config file (this file lives in dataDir)`,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    };
  });
  if (fixed.length > 0) throw new ConfigInvalidError(file, fixed);
  const merged = mergeSettings(structuredClone(base), value) as Config;
  if (!validate(merged))
    throw new ConfigInvalidError(file, schemaProblems(validate.errors ?? [], source, merged));
  const problems = semanticProblems(merged, source);
  if (problems.length > 0) throw new ConfigInvalidError(file, problems);
  return merged;
}

/** `over` merged into `base` (mutated): mappings key by key; lists, scalars and null replace. */
export function mergeSettings(base: unknown, over: unknown): unknown {
  if (!isMapping(base) || !isMapping(over)) return over;
  for (const [key, value] of Object.entries(over)) {
    // defineProperty, not assignment: a "__proto__" key must stay a key (the schema refuses it).
    const merged = mergeSettings(Object.hasOwn(base, key) ? base[key] : undefined, value);
    Object.defineProperty(base, key, {
      value: merged,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return base;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadConfigFile(explicitPath: string | undefined): Omit<LoadedConfig, 'overrideSource'> {
  const file = explicitPath ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      if (explicitPath === undefined)
        return { config: parseConfigText('{}', '(defaults)'), source: null };
      throw new ConfigNotFoundError(file);
    }
    throw new ConfigUnreadableError(file, error);
  }
  return { config: parseConfigText(text, file), source: file };
}

export function parseConfigText(text: string, file: string): Config {
  const source = parseYamlSource(text);
  if (source.syntaxProblems.length > 0) throw new ConfigInvalidError(file, source.syntaxProblems);
  // An empty file is a valid "all defaults" config.
  const value = source.value ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigInvalidError(file, [
      {
        path: '',
        message:
          'the config must be a mapping of keys (e.g. "line:", "web:"), not a list or a single value',
        line: 1,
        column: 1,
      },
    ]);
  }
  if (!validate(value))
    throw new ConfigInvalidError(file, schemaProblems(validate.errors ?? [], source, value));
  const problems = semanticProblems(value, source);
  if (problems.length > 0) throw new ConfigInvalidError(file, problems);
  return value;
}

/** Rules a JSON Schema cannot say well. */
function semanticProblems(config: Config, source: YamlSource): InputProblem[] {
  const problems: InputProblem[] = [];
  if (config.web.enabled && !isLoopback(config.web.host) && !config.web.https.enabled) {
    // Logins, session cookies and patients' callback numbers must not cross the LAN in clear.
    const pos = source.locate(['web', 'host']);
    problems.push({
      path: 'web.host',
      message: `"${config.web.host}" would serve the admin page (logins, callback numbers) to the network over plain HTTP; set web.https.enabled: true, or use a loopback address (127.0.0.1, ::1 or localhost)`,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    });
  }
  if (config.mqtt.password !== null && config.mqtt.username === null) {
    const pos = source.locate(['mqtt', 'password']);
    problems.push({
      path: 'mqtt.password',
      message: 'a password is set but mqtt.username is null; set both or neither',
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    });
  }
  if (config.line.driver === 'soundcard') {
    const missing = [
      config.line.soundcard.ringPin === null ? 'line.soundcard.ringPin' : null,
      config.relays.pins.hook === null ? 'relays.pins.hook' : null,
      config.relays.driver === 'simulated' ? 'relays.driver (not simulated)' : null,
    ].filter((m): m is string => m !== null);
    if (missing.length > 0) {
      const pos = source.locate(['line', 'driver']);
      problems.push({
        path: 'line.driver',
        message: `"soundcard" needs the ring input and the hook relay wired; set ${missing.join(', ')}`,
        ...(pos ? { line: pos.line, column: pos.column } : {}),
      });
    }
  }
  if ((config.mqtt.tls.cert === null) !== (config.mqtt.tls.key === null)) {
    const pos = source.locate(['mqtt', 'tls']);
    problems.push({
      path: 'mqtt.tls',
      message: 'cert and key go together (mutual TLS): set both or neither',
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    });
  }
  return problems;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}
