import type { ErrorObject } from 'ajv';
import type { InputProblem } from './errors.js';
import { formatKeyPath, type KeyPath, type YamlSource } from './yaml-source.js';

/**
 * Turns ajv errors into problems a person can fix: the key, the bad value, what would be valid,
 * and the line it sits on. Union branches produce one error per branch; they are merged so the
 * reader sees "expected one of: a, b" once instead of four cryptic lines.
 */
export function schemaProblems(
  errors: readonly ErrorObject[],
  source: YamlSource | undefined,
  root: unknown,
): InputProblem[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const key =
      error.keyword === 'additionalProperties'
        ? `${error.instancePath}/${String((error.params as { additionalProperty: string }).additionalProperty)}`
        : error.instancePath;
    const list = byPath.get(key) ?? [];
    list.push(error);
    byPath.set(key, list);
  }

  const problems: InputProblem[] = [];
  for (const group of byPath.values()) {
    const first = group[0]!;
    const path = pointerToPath(first.instancePath);
    const additional = group.find((e) => e.keyword === 'additionalProperties');
    if (additional) {
      const name = String((additional.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(
        ((additional.parentSchema as { properties?: object } | undefined)?.properties ??
          {}) as object,
      );
      const fullPath = [...path, name];
      problems.push(
        withPosition(source, fullPath, {
          path: formatKeyPath(fullPath),
          message: `unknown key "${name}"${suggest(name, allowed)}; valid keys here: ${allowed.join(', ')}`,
        }),
      );
      continue;
    }
    problems.push(
      withPosition(source, path, {
        path: formatKeyPath(path),
        message: describeGroup(group, valueAt(root, path)),
      }),
    );
  }
  return problems;
}

function describeGroup(group: ErrorObject[], value: unknown): string {
  const shown = showValue(value);
  const literals = group
    .filter((e) => e.keyword === 'const' || e.keyword === 'enum')
    .flatMap((e) => {
      const p = e.params as { allowedValue?: unknown; allowedValues?: unknown[] };
      return p.allowedValues ?? [p.allowedValue];
    });
  if (literals.length > 0) {
    const nullable = group.some(
      (e) => e.keyword === 'type' && (e.params as { type: string }).type === 'null',
    );
    const options = literals.map((v) => JSON.stringify(v));
    if (nullable) options.push('null');
    return `${shown} is not valid; expected one of: ${options.join(', ')}`;
  }
  const messages = new Set<string>();
  for (const e of group) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    messages.add(describeOne(e));
  }
  if (messages.size === 0) messages.add('does not match any allowed form');
  return `${shown} is not valid: ${[...messages].join(', or ')}`;
}

function describeOne(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `expected ${String(p.type)}`;
    case 'required':
      return `missing required key "${String(p.missingProperty)}"`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)}`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters`;
    case 'minItems':
      return `needs at least ${String(p.limit)} item(s)`;
    case 'pattern': {
      const description = (e.parentSchema as { description?: string } | undefined)?.description;
      return description ? `expected ${description}` : `must match ${String(p.pattern)}`;
    }
    default:
      return e.message ?? e.keyword;
  }
}

function withPosition(
  source: YamlSource | undefined,
  path: KeyPath,
  problem: InputProblem,
): InputProblem {
  const pos = source?.locate(path);
  return pos ? { ...problem, line: pos.line, column: pos.column } : problem;
}

export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function valueAt(root: unknown, path: KeyPath): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function showValue(value: unknown): string {
  if (value === undefined) return 'value';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** "did you mean" for near-miss keys: one edit away, or a case difference. */
function suggest(name: string, allowed: string[]): string {
  const near = allowed.find(
    (a) => a.toLowerCase() === name.toLowerCase() || editDistance(a, name) <= 2,
  );
  return near ? ` (did you mean "${near}"?)` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const temp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = temp;
    }
  }
  return row[b.length]!;
}
