/**
 * The receptionist's browser, reduced to what the soak needs: a cookie jar, first-run setup
 * with the code the appliance logs, and login again whenever the page asks for it (a restart
 * may end sessions). Forms carry the CSRF token and an Origin header, as a browser sends them.
 */
export class WebSession {
  readonly #setupCode: () => string | null;
  readonly #username = 'soak-admin';
  readonly #password = 'soak-password-not-secret';
  readonly #cookies = new Map<string, string>();
  logins = 0;

  constructor(setupCode: () => string | null) {
    this.#setupCode = setupCode;
  }

  /** GET with the session; logs in (or sets up) once when the page wants a login. */
  async get(base: string, path: string, timeoutMs: number): Promise<Response> {
    let response = await this.#fetch(base, path, { method: 'GET' }, timeoutMs);
    if (response.status === 401 || response.status === 303 || response.status === 302) {
      await this.#signIn(base, timeoutMs);
      response = await this.#fetch(base, path, { method: 'GET' }, timeoutMs);
    }
    return response;
  }

  /**
   * POSTs a form as the page's own form would: the CSRF token of a fresh GET of `pagePath`, an
   * Origin header. Signs in again once when the session had ended (a restart or a clock jump
   * may end it). Redirects are returned, not followed: a save answers 303.
   */
  async postForm(
    base: string,
    pagePath: string,
    actionPath: string,
    fields: Record<string, string>,
    timeoutMs: number,
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const page = await this.get(base, pagePath, timeoutMs);
      const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      const response = await this.#fetch(
        base,
        actionPath,
        {
          method: 'POST',
          body: new URLSearchParams({ ...fields, csrf }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
        },
        timeoutMs,
      );
      const toLogin = (response.headers.get('location') ?? '').startsWith('/login');
      if ((response.status !== 401 && !toLogin) || attempt > 0) return response;
      await response.body?.cancel();
      await this.#signIn(base, timeoutMs);
    }
  }

  async #signIn(base: string, timeoutMs: number): Promise<void> {
    this.#cookies.clear();
    const login = await this.#fetch(base, '/login', { method: 'GET' }, timeoutMs);
    const setup = login.status === 303 && (login.headers.get('location') ?? '').includes('/setup');
    const page = setup ? await this.#fetch(base, '/setup', { method: 'GET' }, timeoutMs) : login;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const form = new URLSearchParams({ csrf, username: this.#username, password: this.#password });
    if (setup) {
      form.set('code', this.#setupCode() ?? '');
      form.set('password2', this.#password);
    }
    await this.#fetch(
      base,
      setup ? '/setup' : '/login',
      {
        method: 'POST',
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
      },
      timeoutMs,
    );
    this.logins++;
  }

  async #fetch(
    base: string,
    path: string,
    init: RequestInit,
    timeoutMs: number,
  ): Promise<Response> {
    const cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(`${base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line))
        this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return response;
  }
}
