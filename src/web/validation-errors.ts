import type { FastifySchemaValidationError } from 'fastify';

type SchemaErrorDataVar = 'body' | 'headers' | 'params' | 'querystring';

const PART_NAMES: Record<SchemaErrorDataVar, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  headers: 'header',
  body: 'field',
};

/**
 * Turns ajv's "querystring/limit must be integer" into "query parameter limit must be an
 * integer" and names an unknown key and the keys that are allowed, so whoever calls the API
 * can fix the request without reading the source.
 */
export function validationErrorFormatter(allowedKeys: readonly string[]) {
  return (errors: FastifySchemaValidationError[], part: SchemaErrorDataVar): Error => {
    const what = PART_NAMES[part];
    const messages = errors.map((e) => {
      if (e.keyword === 'additionalProperties') {
        const key = String((e.params as { additionalProperty?: unknown }).additionalProperty);
        return `unknown ${what} "${key}"; allowed: ${allowedKeys.join(', ') || 'none'}`;
      }
      const key = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const message =
        e.keyword === 'type'
          ? `must be ${article(String((e.params as { type?: unknown }).type))}`
          : e.message;
      return key ? `${what} ${key} ${message}` : `${what}s ${message}`;
    });
    return new Error(messages.join('; '));
  };
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
