import { readFileSync } from 'node:fs';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { NumberSealer } from '../privacy/number-sealer.js';
import type { Logger } from '../shared/logger.js';
import { PACKAGE_ROOT } from '../shared/package-root.js';
import type { ApplianceStatus } from '../status/status-sink-port.js';
import type { CallStore } from '../storage/call-store-port.js';
import type { CallbackStore } from '../storage/callback-store-port.js';
import type { ThrottlePolicy } from '../storage/login-throttle-port.js';
import { SqliteAuditLog } from '../storage/sqlite/sqlite-audit-log.js';
import { SqliteCallLog } from '../storage/sqlite/sqlite-call-log.js';
import type { SqliteDatabase } from '../storage/sqlite/sqlite-database.js';
import { SqliteLoginThrottleStore } from '../storage/sqlite/sqlite-login-throttle-store.js';
import { SqliteSessionStore } from '../storage/sqlite/sqlite-session-store.js';
import { SqliteTotpStore } from '../storage/sqlite/sqlite-totp-store.js';
import { SqliteUserStore } from '../storage/sqlite/sqlite-user-store.js';
import { TotpFactor } from './auth/totp-factor.js';
import { type SessionPolicy, WebAuth } from './auth/web-auth.js';
import { toCallView } from './call-view.js';
import type { FlowsPageDeps } from './flows/flows-page-deps.js';
import type { Locale } from './i18n/locale.js';
import type { LiveUpdates } from './live-updates.js';
import { registerFormBody } from './plugins/form-body.js';
import { registerLocalePreference } from './plugins/locale-preference.js';
import { registerRequestGuards, requireLogin } from './plugins/request-guards.js';
import { registerAccountPage } from './routes/account-page.js';
import { alertBanner, withAlertBanner } from './routes/alert-banner.js';
import { registerAuditPage } from './routes/audit-page.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerCallbacksPage } from './routes/callbacks-page.js';
import { registerCallsPage } from './routes/calls-page.js';
import { registerDashboardPage } from './routes/dashboard-page.js';
import { registerFlowsPage } from './routes/flows-page.js';
import { type PrivacyPageDeps, registerPrivacyPage } from './routes/privacy-page.js';
import { registerPromptsPage } from './routes/prompts-routes.js';
import { registerSettingsPage } from './routes/settings-page.js';
import { registerSystemPage } from './routes/system-page.js';
import { registerTotpLoginRoutes } from './routes/totp-login-routes.js';
import { registerUsersPage } from './routes/users-page.js';
import {
  registerHostCheck,
  registerSecurityHeaders,
  SECURITY_HEADERS,
} from './security-headers.js';
import type { SystemPagesDeps } from './settings/system-pages-deps.js';
import { validationErrorFormatter } from './validation-errors.js';

/** What the login, call log, callbacks and audit pages need from the appliance. */
export interface AdminPageDeps {
  /** The appliance's database (users, sessions, lockouts, audit log, calls). Started by the owner. */
  db: SqliteDatabase;
  /** Callback requests, able to unseal numbers for staff. */
  callbacks: CallbackStore;
  /** Seals TOTP secrets (a key from the device secret, purpose 'linekeeper web totp v1'). */
  totpSealer: NumberSealer;
  /** Served over HTTPS: Secure cookies and an https Origin are required. */
  secure?: boolean;
  now?: () => number;
  /** A clock that never steps (tests); see WebAuthOptions.monotonicNow. */
  monotonicNow?: () => number;
  /** Where the first-run setup code goes; the journal (logger.warn) by default. */
  announceSetupCode?: (code: string) => void;
  sessionPolicy?: SessionPolicy;
  throttlePolicy?: ThrottlePolicy;
}

export interface WebAppDeps {
  store: CallStore;
  status: () => ApplianceStatus;
  live: LiveUpdates;
  logger: Logger;
  /** Host names the page answers to (DNS-rebinding guard). */
  allowedHosts: ReadonlySet<string>;
  /** Login and the pages behind it: the appliance database and its callback store. */
  admin: AdminPageDeps;
  /** The page language when neither the browser nor the language links choose one. */
  uiLanguage?: Locale;
  /** The /flows page (flow editor, diagram, test calls); absent: no such page. */
  flows?: FlowsPageDeps;
  /** The /privacy page (data-subject export and erasure); absent: no such page. */
  privacy?: PrivacyPageDeps;
  /** The /settings, /system and /prompts pages; absent: no such pages. */
  system?: SystemPagesDeps;
  /** Serve over TLS with this key and certificate (PEM); plain HTTP when absent. */
  https?: { key: Buffer; cert: Buffer };
}

const STATIC_FILES: Record<string, string> = {
  'live.js': 'text/javascript; charset=utf-8',
  'alerts.js': 'text/javascript; charset=utf-8',
  'prompts.js': 'text/javascript; charset=utf-8',
  'settings.css': 'text/css; charset=utf-8',
  'flows.js': 'text/javascript; charset=utf-8',
  'flows.css': 'text/css; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  // Without an icon every browser asks for /favicon.ico and logs a 404 on each page load.
  'favicon.svg': 'image/svg+xml',
};

const CALLS_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 500 },
    before: { type: 'string', pattern: '^[0-9a-f-]{36}$' },
  },
} as const;

/** Builds the fastify app without listening, so tests can use `app.inject`. */
export function buildWebApp(deps: WebAppDeps): FastifyInstance {
  const app = Fastify({
    ...(deps.https ? { https: { key: deps.https.key, cert: deps.https.cert } } : {}),
    loggerInstance: deps.logger.child({ module: 'web' }) as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
    // fastify's default silently drops unknown keys; a misspelt parameter must be an error.
    ajv: { customOptions: { removeAdditional: false } },
  });
  registerHostCheck(app, deps.allowedHosts);
  registerSecurityHeaders(app);
  registerFormBody(app);
  registerLocalePreference(app, {
    fallback: deps.uiLanguage ?? 'en',
    secure: deps.admin.secure ?? false,
  });

  const admin = deps.admin;
  const auth = new WebAuth({
    users: new SqliteUserStore(admin.db),
    sessions: new SqliteSessionStore(admin.db),
    throttle: new SqliteLoginThrottleStore(admin.db),
    audit: new SqliteAuditLog(admin.db),
    totp: new TotpFactor({
      store: new SqliteTotpStore(admin.db),
      sealer: admin.totpSealer,
      now: admin.now ?? Date.now,
    }),
    logger: deps.logger.child({ module: 'web-auth' }),
    secure: admin.secure ?? false,
    ...(admin.now ? { now: admin.now } : {}),
    ...(admin.monotonicNow ? { monotonicNow: admin.monotonicNow } : {}),
    ...(admin.announceSetupCode ? { announceSetupCode: admin.announceSetupCode } : {}),
    ...(admin.sessionPolicy ? { sessionPolicy: admin.sessionPolicy } : {}),
    ...(admin.throttlePolicy ? { throttlePolicy: admin.throttlePolicy } : {}),
  });
  app.addHook('onReady', async () => {
    await auth.prepareSetup();
  });
  registerRequestGuards(app, auth);
  const signedIn = { onRequest: requireLogin(auth) };

  const staticContent = new Map(
    Object.entries(STATIC_FILES).map(([name, type]) => [
      name,
      { type, body: readFileSync(`${PACKAGE_ROOT}src/web/static/${name}`) },
    ]),
  );

  registerAuthRoutes(app, auth);
  registerTotpLoginRoutes(app, auth);
  registerAccountPage(app, auth);
  const callLog = new SqliteCallLog(admin.db);
  registerDashboardPage(app, auth, { store: deps.store, status: deps.status, calls: callLog });
  registerCallsPage(app, auth, callLog);
  registerCallbacksPage(app, auth, admin.callbacks);
  registerAuditPage(app, auth, new SqliteAuditLog(admin.db));
  registerUsersPage(app, auth);
  if (deps.system) {
    registerSettingsPage(app, auth, deps.system);
    registerSystemPage(app, auth, deps.system, { status: deps.status, db: admin.db });
    registerPromptsPage(app, auth, deps.system);
  }
  if (deps.flows) registerFlowsPage(app, auth, deps.flows);
  if (deps.privacy) registerPrivacyPage(app, auth, deps.privacy);
  // The call-flood banner on every signed-in page, at the layout's slot (routes/alert-banner.ts).
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.webSession || typeof payload !== 'string') return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    return withAlertBanner(payload, alertBanner(deps.status().guard, request.locale));
  });

  app.get<{ Params: { name: string } }>('/static/:name', async (request, reply) => {
    const file = staticContent.get(request.params.name);
    if (!file) return reply.code(404).type('text/plain').send('not found\n');
    return reply.type(file.type).header('cache-control', 'no-cache').send(file.body);
  });

  app.get('/api/status', signedIn, async () => deps.status());

  app.get<{ Querystring: { limit?: string; before?: string } }>(
    '/api/calls',
    {
      schema: { querystring: CALLS_QUERY },
      schemaErrorFormatter: validationErrorFormatter(Object.keys(CALLS_QUERY.properties)),
      ...signedIn,
    },
    async (request) => {
      const limit = Number(request.query.limit ?? 20);
      const calls = await deps.store.recentCalls({
        limit,
        ...(request.query.before ? { before: request.query.before } : {}),
      });
      return { calls: calls.map(toCallView) };
    },
  );

  app.get('/events', signedIn, (_request, reply) => {
    // A hijacked reply skips the onSend hook, so the stream gets the same headers here.
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.raw.setHeader(name, value);
    reply.hijack();
    deps.live.add(reply.raw);
  });

  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).type('text/plain').send('not found\n'),
  );
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'web request failed');
    // Never echo internals to the browser; validation messages are safe and useful.
    return reply
      .code(status)
      .type('text/plain')
      .send(status >= 500 ? 'internal error\n' : `${(error as Error).message}\n`);
  });
  return app;
}
