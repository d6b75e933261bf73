import { type Config, ConfigSchema } from '../../config/config-schema.js';

/** The parts of the settings page, in the order shown. */
export const SETTING_GROUPS = ['line', 'gpio', 'mqtt', 'retention', 'language'] as const;
export type SettingGroup = (typeof SETTING_GROUPS)[number];

/** How a field is edited; read from the config schema, so the form and the file agree. */
export type FieldKind =
  | { type: 'choice'; options: readonly string[] }
  | { type: 'integer'; nullable: boolean; min?: number; max?: number }
  | { type: 'text'; nullable: boolean }
  | { type: 'boolean' }
  /** Write-only: never shown, empty keeps the stored value. */
  | { type: 'secret' };

export interface SettingField {
  /** Dotted config key, also the form field's name, e.g. `mqtt.url`. */
  path: string;
  group: SettingGroup;
  kind: FieldKind;
}

/** What the page edits. Everything else stays in config.yaml (or settings.yaml by hand). */
const EDITABLE: ReadonlyArray<readonly [SettingGroup, string, FieldKind?]> = [
  ['line', 'line.driver'],
  ['line', 'line.country'],
  ['line', 'line.answerOnRing'],
  ['line', 'line.modem.device'],
  ['line', 'line.modem.profile'],
  ['gpio', 'relays.driver'],
  ['gpio', 'relays.pins.lineSelect'],
  ['gpio', 'relays.pins.hook'],
  ['gpio', 'relays.pins.transfer'],
  ['gpio', 'relays.pins.statusLed'],
  ['gpio', 'relays.pins.faultLed'],
  ['gpio', 'relays.activeLow'],
  ['gpio', 'line.soundcard.ringPin'],
  ['mqtt', 'mqtt.enabled'],
  ['mqtt', 'mqtt.url'],
  ['mqtt', 'mqtt.username'],
  ['mqtt', 'mqtt.password', { type: 'secret' }],
  ['mqtt', 'mqtt.topicPrefix'],
  ['retention', 'privacy.retentionDays.calls'],
  ['retention', 'privacy.retentionDays.callEvents'],
  ['retention', 'privacy.retentionDays.callbacks'],
  ['retention', 'privacy.retentionDays.voicemails'],
  ['retention', 'privacy.retentionDays.guardBlocks'],
  ['retention', 'privacy.retentionDays.auditLog'],
  // The schema allows any two-letter code; the page offers the languages with bundled models.
  ['language', 'web.language'],
  ['language', 'speech.language', { type: 'choice', options: ['en', 'de', 'es'] }],
];

export const SETTING_FIELDS: readonly SettingField[] = EDITABLE.map(([group, path, kind]) => ({
  group,
  path,
  kind: kind ?? kindFromSchema(path),
}));

export type SettingPath = string;

interface SchemaNode {
  type?: string;
  const?: unknown;
  anyOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  minimum?: number;
  maximum?: number;
}

function schemaAt(path: string): SchemaNode {
  let node = ConfigSchema as unknown as SchemaNode;
  for (const key of path.split('.')) {
    const next = node.properties?.[key];
    if (!next) throw new Error(`settings field ${path} is not in the config schema`);
    node = next;
  }
  return node;
}

function kindFromSchema(path: string): FieldKind {
  const node = schemaAt(path);
  const branches = node.anyOf ?? [node];
  const nullable = branches.some((b) => b.type === 'null');
  const rest = branches.filter((b) => b.type !== 'null');
  if (rest.length > 0 && rest.every((b) => b.const !== undefined))
    return { type: 'choice', options: rest.map((b) => String(b.const)) };
  const only = rest[0];
  if (rest.length === 1 && only?.type === 'integer') {
    return {
      type: 'integer',
      nullable,
      ...(only.minimum !== undefined ? { min: only.minimum } : {}),
      ...(only.maximum !== undefined ? { max: only.maximum } : {}),
    };
  }
  if (rest.length === 1 && only?.type === 'boolean') return { type: 'boolean' };
  if (rest.length === 1 && only?.type === 'string') return { type: 'text', nullable };
  throw new Error(`settings field ${path} has a schema type the page cannot edit`);
}

export function valueAt(config: Config, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) node = (node as Record<string, unknown> | null)?.[key];
  return node;
}

/**
 * Form fields to config values. A value that is not what the field wants stays a string, so
 * the config schema refuses it with its usual message naming key, value and what is valid.
 * Returns only the fields to write: a secret left empty is not written.
 */
export function valuesFromForm(form: (name: string) => string): Map<SettingPath, unknown> {
  const values = new Map<SettingPath, unknown>();
  for (const field of SETTING_FIELDS) {
    const raw = form(field.path);
    switch (field.kind.type) {
      case 'boolean':
        // An unticked checkbox is not sent at all.
        values.set(field.path, raw === 'on' || raw === 'true');
        break;
      case 'secret':
        if (form(`${field.path}.clear`) === 'on') values.set(field.path, null);
        else if (raw !== '') values.set(field.path, raw);
        break;
      case 'integer': {
        const text = raw.trim();
        if (text === '' && field.kind.nullable) values.set(field.path, null);
        else values.set(field.path, /^-?\d{1,9}$/.test(text) ? Number(text) : text);
        break;
      }
      case 'text': {
        const text = raw.trim();
        values.set(field.path, text === '' && field.kind.nullable ? null : text);
        break;
      }
      case 'choice':
        values.set(field.path, raw);
        break;
    }
  }
  return values;
}

export function isSecret(path: string): boolean {
  return SETTING_FIELDS.some((f) => f.path === path && f.kind.type === 'secret');
}
