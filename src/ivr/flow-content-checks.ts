import type { GraphFinding } from './flow-graph-checks.js';
import { type Flow, flowLanguages } from './flow-schema.js';

const TEXT_KEYS = new Set(['text', 'prompt', 'noInput', 'noMatch', 'disclosure']);
/** "Nothing ... is recorded" in the languages we ship templates for. */
const NOTHING_RECORDED =
  /nothing[^.]*recorded|not (be )?recorded|nichts[^.]*aufgezeichnet|nicht aufgezeichnet|nada[^.]*(se )?graba|no se graba/i;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * Rules about what a flow says rather than where it goes: every per-language text and phrase
 * list covers every language of the flow, time tables make sense, patterns compile, and
 * variables are set before they are used.
 */
export function checkFlowContent(flow: Flow): { errors: GraphFinding[]; warnings: GraphFinding[] } {
  const errors: GraphFinding[] = [];
  const warnings: GraphFinding[] = [];
  const languages = flowLanguages(flow);
  if (!languages.includes(flow.language)) {
    errors.push({
      path: ['language'],
      message: `"${flow.language}" must be one of languages: ${languages.join(', ')}`,
    });
  }

  walk(flow, [], (value, path) => {
    const key = path.at(-1);
    if (
      typeof key !== 'string' ||
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value)
    )
      return;
    if (!TEXT_KEYS.has(key) && key !== 'speech') return;
    const given = Object.keys(value);
    const missing = languages.filter((l) => !given.includes(l));
    const extra = given.filter((l) => !languages.includes(l));
    if (missing.length > 0)
      errors.push({
        path,
        message: `has no ${missing.join(', ')} version; this flow speaks ${languages.join(', ')}`,
      });
    if (extra.length > 0)
      errors.push({
        path,
        message: `has a ${extra.join(', ')} version, but the flow's languages are ${languages.join(', ')}`,
      });
  });

  const collected = new Set<string>();
  for (const node of Object.values(flow.nodes))
    if (node.type === 'collect') collected.add(node.into);

  for (const [id, node] of Object.entries(flow.nodes)) {
    const at = (...keys: (string | number)[]) => ['nodes', id, ...keys];
    if (node.type === 'hours') {
      if (!isTimeZone(node.timezone)) {
        errors.push({
          path: at('timezone'),
          message: `"${node.timezone}" is not a time zone this system knows; use an IANA name like Europe/Berlin or America/New_York`,
        });
      }
      for (const day of DAYS) {
        (node.weekly[day] ?? []).forEach((range, i) => {
          const [from, to] = range.split('-') as [string, string];
          if (from >= to)
            errors.push({
              path: at('weekly', day, i),
              message: `"${range}" ends before it starts`,
            });
        });
      }
      (node.holidays ?? []).forEach((date, i) => {
        if (
          Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
          new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
        ) {
          errors.push({ path: at('holidays', i), message: `"${date}" is not a real date` });
        }
      });
    }
    if (node.type === 'collect') {
      if ((node.minDigits ?? 1) > node.maxDigits)
        errors.push({
          path: at('minDigits'),
          message: `is more than maxDigits (${node.maxDigits})`,
        });
      if (node.pattern !== undefined) {
        try {
          new RegExp(node.pattern);
        } catch (error) {
          errors.push({
            path: at('pattern'),
            message: `is not a valid regular expression: ${(error as Error).message}`,
          });
        }
      }
    }
    if (node.type === 'language') {
      for (const tag of Object.keys(node.options)) {
        if (!languages.includes(tag))
          errors.push({
            path: at('options', tag),
            message: `is not one of the flow's languages (${languages.join(', ')})`,
          });
      }
    }
    if (
      node.type === 'transfer' &&
      node.extension?.startsWith('$') &&
      !collected.has(node.extension.slice(1))
    ) {
      errors.push({
        path: at('extension'),
        message: `uses ${node.extension}, but no collect node sets "${node.extension.slice(1)}"`,
      });
    }
  }
  // A flow that keeps messages must not tell callers that nothing is recorded.
  const voicemail = Object.entries(flow.nodes).find(([, n]) => n.type === 'voicemail');
  const claims =
    typeof flow.disclosure === 'string' ? [flow.disclosure] : Object.values(flow.disclosure);
  if (voicemail && claims.some((text) => NOTHING_RECORDED.test(text))) {
    errors.push({
      path: ['disclosure'],
      message: `says nothing is recorded, but node "${voicemail[0]}" records voicemail: say what is kept and for how long`,
    });
  }
  if (languages.length > 1 && !Object.values(flow.nodes).some((n) => n.type === 'language')) {
    warnings.push({
      path: ['languages'],
      message: `the flow speaks ${languages.join(', ')} but has no language node, so callers always hear ${flow.language}`,
    });
  }
  return { errors, warnings };
}

function walk(
  value: unknown,
  path: (string | number)[],
  visit: (value: unknown, path: (string | number)[]) => void,
): void {
  visit(value, path);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walk(item, [...path, i], visit);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) walk(child, [...path, key], visit);
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
