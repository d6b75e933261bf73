import { Ajv } from 'ajv';
import type { InputProblem } from '../shared/errors.js';
import { schemaProblems } from '../shared/schema-problems.js';
import { type KeyPath, parseYamlSource, type YamlSource } from '../shared/yaml-source.js';
import { type BootFile, BootFileSchema, SECRET_PATHS } from './boot-file-schema.js';
import { ProvisioningInvalidError } from './provisioning-errors.js';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validate = ajv.compile<BootFile>(BootFileSchema);

/**
 * Reads the boot-partition file. Throws ProvisioningInvalidError with every problem at once, so
 * a technician fixes the file on the laptop in one go. Secret values are never quoted back.
 */
export function parseBootFile(text: string, file: string): BootFile {
  const source = parseYamlSource(text);
  if (source.syntaxProblems.length > 0)
    throw new ProvisioningInvalidError(file, source.syntaxProblems);
  const value = source.value ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ProvisioningInvalidError(file, [
      {
        path: '',
        message: 'the file must be a list of keys like "site:", "network:", not a single value',
        line: 1,
        column: 1,
      },
    ]);
  }
  const valid = validate(value);
  // Both kinds at once, so one trip to the laptop fixes everything; the rules below only
  // look at keys whose shape they check themselves.
  const problems = [
    ...(valid ? [] : schemaProblems(validate.errors ?? [], source, maskSecrets(value))),
    ...semanticProblems(value as BootFile, source),
  ];
  if (problems.length > 0 || !valid) throw new ProvisioningInvalidError(file, problems);
  return value;
}

/** A copy with every secret replaced, for messages that quote values. */
function maskSecrets(value: object): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const [section, key] of SECRET_PATHS) {
    const parent = copy[section!];
    if (parent && typeof parent === 'object' && key! in parent) {
      (parent as Record<string, unknown>)[key!] = '(hidden)';
    }
  }
  return copy;
}

function semanticProblems(boot: BootFile, source: YamlSource): InputProblem[] {
  const problems: InputProblem[] = [];
  const at = (path: KeyPath, message: string) => {
    const pos = source.locate(path);
    problems.push({
      path: path.join('.'),
      message,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    });
  };
  const network =
    typeof boot.network === 'object' && boot.network !== null ? boot.network : undefined;
  if (network?.type === 'wifi') {
    const missing = (['ssid', 'psk', 'country'] as const).filter((k) => network[k] === undefined);
    if (missing.length > 0) {
      at(
        ['network', 'type'],
        `"wifi" needs ${missing.map((k) => `network.${k}`).join(', ')} (the network name, its passphrase and the country code, like DE)`,
      );
    }
  } else if (network?.type === 'ethernet') {
    for (const key of ['ssid', 'psk', 'country', 'hidden'] as const) {
      if (network[key] !== undefined) {
        at(
          ['network', key],
          `only used with type: wifi; remove it or set network.type: wifi (type is "ethernet")`,
        );
      }
    }
  }
  const mqtt = typeof boot.mqtt === 'object' && boot.mqtt !== null ? boot.mqtt : undefined;
  if (mqtt?.password !== undefined && mqtt.username === undefined) {
    at(['mqtt', 'password'], 'a password is set but mqtt.username is missing; set both or neither');
  }
  if (typeof boot.timezone === 'string' && !isTimeZone(boot.timezone)) {
    at(
      ['timezone'],
      `"${boot.timezone}" is not a time zone; expected an IANA name like Europe/Berlin, Europe/London or America/New_York`,
    );
  }
  return problems;
}

export function isTimeZone(name: string): boolean {
  // Becomes a path under /usr/share/zoneinfo: no way out of it.
  if (name.startsWith('/') || name.split('/').includes('..')) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
