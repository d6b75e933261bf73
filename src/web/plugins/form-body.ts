import type { FastifyInstance } from 'fastify';

/**
 * Plain HTML forms post `application/x-www-form-urlencoded`, which fastify does not parse by
 * itself. Each field keeps its first value; the app's bodyLimit (413 beyond it) still applies.
 */
export function registerFormBody(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      const fields: Record<string, string> = {};
      for (const [key, value] of new URLSearchParams(body as string)) {
        if (!(key in fields)) fields[key] = value;
      }
      done(null, fields);
    },
  );
}

/** A field of a parsed form body; '' when it is missing or the body was not a form. */
export function field(body: unknown, name: string): string {
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
