import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Ajv } from 'ajv';
import type { InputProblem } from '../shared/errors.js';
import { schemaProblems } from '../shared/schema-problems.js';
import { parseYamlSource, type YamlSource } from '../shared/yaml-source.js';
import { ConfigInvalidError, ConfigNotFoundError, ConfigUnreadableError } from './config-errors.js';
import { type Config, ConfigSchema } from './config-schema.js';

export const DEFAULT_CONFIG_PATH = '/etc/linekeeper/config.yaml';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
const validate = ajv.compile<Config>(ConfigSchema);

export interface LoadedConfig {
  config: Config;
  /** The file read, or null when running on built-in defaults. */
  source: string | null;
}

/**
 * Loads the config. An explicit path must exist; the default path may be absent, and then the
 * built-in defaults apply (so `linekeeper run` works on a laptop with no setup).
 */
export function loadConfig(explicitPath?: string): LoadedConfig {
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
