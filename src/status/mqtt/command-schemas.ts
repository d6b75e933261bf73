import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { CommandName } from './mqtt-options.js';

/**
 * Command payloads, one JSON object per command topic. Unknown fields are refused so a typo
 * ("mdoe") fails loudly instead of being ignored.
 */

/** Echoed in the result so a controller can match answers to requests. */
const RequestId = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' });

export const ModeCommand = Type.Object(
  {
    mode: Type.Unsafe<'day' | 'night'>({ type: 'string', enum: ['day', 'night'] }),
    requestId: Type.Optional(RequestId),
  },
  { additionalProperties: false },
);

export const FrontDeskCommand = Type.Object(
  { force: Type.Boolean(), requestId: Type.Optional(RequestId) },
  { additionalProperties: false },
);

export const ReloadFlowCommand = Type.Object(
  { requestId: Type.Optional(RequestId) },
  { additionalProperties: false },
);

export interface CommandPayloads {
  mode: Static<typeof ModeCommand>;
  'front-desk': Static<typeof FrontDeskCommand>;
  'reload-flow': Static<typeof ReloadFlowCommand>;
}

const SCHEMAS: { [K in CommandName]: TSchema } = {
  mode: ModeCommand,
  'front-desk': FrontDeskCommand,
  'reload-flow': ReloadFlowCommand,
};

export type CommandValidators = { [K in CommandName]: ValidateFunction<CommandPayloads[K]> };

/** Compiled once at start-up; ajv compiles to code, so per-message validation is cheap. */
export function compileCommandValidators(): CommandValidators {
  const ajv = new Ajv({ allErrors: true, strict: true });
  return {
    mode: ajv.compile<CommandPayloads['mode']>(SCHEMAS.mode),
    'front-desk': ajv.compile<CommandPayloads['front-desk']>(SCHEMAS['front-desk']),
    'reload-flow': ajv.compile<CommandPayloads['reload-flow']>(SCHEMAS['reload-flow']),
  };
}

/** ajv errors as short sentences a person writing an automation can act on. */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'payload does not match the command schema';
  return errors.map(describeOne).join('; ');
}

function describeOne(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'payload' : e.instancePath.slice(1).replaceAll('/', '.');
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${where}: missing field "${String(p.missingProperty)}"`;
    case 'additionalProperties':
      return `${where}: unknown field "${String(p.additionalProperty)}"`;
    case 'enum':
      return `${where}: must be one of ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return `${where}: must be a ${String(p.type)}`;
    case 'pattern':
      return `${where}: must be 1-64 letters, digits or _ . : -`;
    default:
      return `${where}: ${e.message ?? 'is not valid'}`;
  }
}
