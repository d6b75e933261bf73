/** Just enough cookie handling for two cookies of our own; no third-party plugin needed. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * HttpOnly (no script can read it), SameSite=Strict (no other site's page can send it), Path=/;
 * Secure when the page is served over HTTPS. No Max-Age: the browser drops it when closed,
 * and the server ends the session on its own schedule anyway.
 */
export function serializeCookie(
  name: string,
  value: string,
  options: { secure: boolean; clear?: boolean },
): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (options.secure) parts.push('Secure');
  if (options.clear) parts.push('Max-Age=0');
  return parts.join('; ');
}
