import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config-schema.js';
import { settingsFilePath } from '../config/load-config.js';
import { FloodGuard } from '../guard/flood-guard.js';
import { guardStatus } from '../guard/guard-status.js';
import { cryptoRandom } from '../guard/random-source.js';
import type { Flow } from '../ivr/flow-schema.js';
import type { Line } from '../line/line-port.js';
import { CallerPseudonymizer } from '../privacy/caller-pseudonymizer.js';
import { DataSubjectRequests } from '../privacy/data-subject-requests.js';
import { loadOrCreateDeviceSecret } from '../privacy/device-secret.js';
import { NumberSealer } from '../privacy/number-sealer.js';
import { DAY_MS } from '../privacy/retention-policy.js';
import { createPromptLibrary, uploadedRecordingsDir } from '../prompts/create-prompt-library.js';
import type { PromptLibrary } from '../prompts/prompt-library.js';
import { startProvisioningFaultLed } from '../provisioning/provisioning-fault-led.js';
import { GpioRelays } from '../relays/gpio-relays.js';
import type { Relays } from '../relays/relays-port.js';
import { LineHealthGuard } from '../relays/watchdog/line-health-guard.js';
import { StallWatchdog } from '../relays/watchdog/stall-watchdog.js';
import { SystemClock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { packageVersion } from '../shared/package-root.js';
import type { Recognizer } from '../speech/recognizer-port.js';
import type { ApplianceStatus, StatusSink } from '../status/status-sink-port.js';
import type { CallStore } from '../storage/call-store-port.js';
import { PurgeJob } from '../storage/purge-job.js';
import { SqliteAuditLog } from '../storage/sqlite/sqlite-audit-log.js';
import { SqliteCallEventStore } from '../storage/sqlite/sqlite-call-event-store.js';
import { SqliteCallbackStore } from '../storage/sqlite/sqlite-callback-store.js';
import { SqliteDataSubjectStore } from '../storage/sqlite/sqlite-data-subject-store.js';
import { SqliteDatabase } from '../storage/sqlite/sqlite-database.js';
import { SqliteGuardStore } from '../storage/sqlite/sqlite-guard-store.js';
import { SqliteVoicemailStore } from '../storage/sqlite/sqlite-voicemail-store.js';
import { ensureTlsCertificate } from '../system/firstboot/tls-certificate.js';
import { flowSpecInEffect } from '../web/flows/flow-file-store.js';
import { flowsPageDeps } from '../web/flows/flows-page-deps.js';
import { listenWebApp } from '../web/listen-web-app.js';
import { LiveUpdates } from '../web/live-updates.js';
import type { PrivacyPageDeps } from '../web/routes/privacy-page.js';
import { SettingsStore } from '../web/settings/settings-store.js';
import type { SystemPagesDeps } from '../web/settings/system-pages-deps.js';
import { buildWebApp } from '../web/web-app.js';
import {
  createCallStore,
  createLine,
  createRelays,
  createStatusSink,
  startRecognizer,
} from './adapter-factory.js';
import type { ApplianceCommands, OperatingMode } from './appliance-commands.js';
import { CallDesk } from './call-desk.js';
import { flowCheckedForConfig } from './flow-config-check.js';
import { guardSettingsFromConfig, retentionFromConfig } from './guard-settings-from-config.js';
import { dataPaths } from './paths.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]', '::1'];

export interface ApplianceOptions {
  /** The config file it was started with (null: built-in defaults); /settings re-reads it. */
  configFile?: string | null;
  /** Stop and exit so the supervisor starts it again (the /system page's restart button). */
  restart?: () => void;
}

/**
 * The composition root: builds every adapter from config and starts them in an order that keeps
 * the line on the front desk until the appliance is healthy, and puts it back there first on
 * the way down.
 */
export class Appliance implements ApplianceCommands {
  readonly #config: Config;
  readonly #logger: Logger;
  readonly #clock = new SystemClock();
  #store: CallStore | null = null;
  #db: SqliteDatabase | null = null;
  #callbacks: SqliteCallbackStore | null = null;
  #totpSealer: NumberSealer | null = null;
  #privacyPage: PrivacyPageDeps | null = null;
  #purge: PurgeJob | null = null;
  #floodGuard: FloodGuard | null = null;
  #guardTick: NodeJS.Timeout | null = null;
  /** Blinks "the boot-partition linekeeper.yaml was refused" until the appliance stops. */
  #provisioningLed: AbortController | null = null;
  #relays: Relays | null = null;
  #status: StatusSink | null = null;
  #recognizer: Recognizer | null = null;
  #line: Line | null = null;
  #desk: CallDesk | null = null;
  #flow: Flow | null = null;
  #live: LiveUpdates | null = null;
  #web: FastifyInstance | null = null;
  #callsToday = 0;
  #stage: string | null = null;
  #webAddress: string | null = null;
  #mode: OperatingMode = 'day';
  #frontDeskForced = false;
  #lineGuard: LineHealthGuard | null = null;
  #stallWatchdog: StallWatchdog | null = null;
  #speechStatus: ApplianceStatus['speech'] = { kind: 'off', state: 'off' };
  readonly #options: ApplianceOptions;
  readonly #startedAtMs = Date.now();
  #prompts: PromptLibrary | null = null;
  #tlsFingerprint: string | null = null;

  constructor(config: Config, logger: Logger, options: ApplianceOptions = {}) {
    this.#config = config;
    this.#logger = logger;
    this.#options = options;
  }

  /** The line adapter in use (tests and the web page's test call drive a simulated one). */
  line(): Line | null {
    return this.#line;
  }

  /**
   * Why the appliance is not fit to answer calls right now; empty when healthy. The systemd
   * watchdog pings only while this is empty. An operator forcing the front desk is a choice,
   * not a fault, so it does not count: a restart would not change it.
   */
  healthProblems(): string[] {
    if (!this.#lineGuard) return ['not-started'];
    return this.#lineGuard.reasons().filter((reason) => reason !== 'front-desk-forced');
  }

  /** The URL the web page listens on, once started. */
  webAddress(): string | null {
    return this.#webAddress;
  }

  async start(): Promise<void> {
    const config = this.#config;
    const log = this.#logger;
    const paths = dataPaths(config);
    this.#flow = this.#loadCheckedFlow();
    const pseudonymizer = new CallerPseudonymizer(loadOrCreateDeviceSecret(paths.deviceSecret));

    // Every pin is claimed at rest: the line stays on the front desk until the guard clears it.
    this.#relays = await createRelays(config, this.#clock);
    await this.#relays.start();
    this.#provisioningLed = startProvisioningFaultLed(
      this.#relays,
      this.#clock,
      config.relays.pins,
      paths.dataDir,
      (error) => log.warn({ err: error }, 'provisioning LED pattern failed'),
    );
    this.#lineGuard = this.#createGuard(this.#relays);

    this.#store = createCallStore(config);
    await this.#store.start();
    this.#callsToday = await this.#store.countCallsSince(startOfToday());
    const secret = loadOrCreateDeviceSecret(paths.deviceSecret);
    this.#db = new SqliteDatabase(paths.database);
    await this.#db.start();
    this.#purge = new PurgeJob({
      db: this.#db,
      policy: retentionFromConfig(config.privacy),
      clock: this.#clock,
      logger: log.child({ module: 'purge' }),
    });
    this.#purge.start();

    this.#status = await createStatusSink(config, log.child({ module: 'status' }), {
      commands: this,
      audit: (entry) =>
        log
          .child({ module: 'audit' })
          .info(
            { audit: entry },
            `${entry.actor}: ${entry.action} ${entry.ok ? 'done' : 'refused'}`,
          ),
    });
    await this.#status.start();
    const speech = await startRecognizer(config, log.child({ module: 'speech' }));
    this.#recognizer = speech.recognizer;
    this.#speechStatus = speech.status;
    this.#line = await createLine(config, this.#clock, log.child({ module: 'line' }), this.#relays);
    this.#lineGuard.watchLine(this.#line);
    this.#line.events.on('state', ({ state, detail }) => {
      log.info({ state, detail }, 'line state');
      this.#publishStatus();
    });
    await this.#line.start();

    this.#callbacks = new SqliteCallbackStore(this.#db, new NumberSealer(secret));
    this.#totpSealer = new NumberSealer(secret, 'linekeeper web totp v1');
    this.#floodGuard = config.guard.enabled ? this.#startFloodGuard(pseudonymizer) : null;
    this.#privacyPage = this.#privacyPageDeps(pseudonymizer, secret);
    this.#desk = new CallDesk({
      line: this.#line,
      recognizer: this.#recognizer,
      store: this.#store,
      clock: this.#clock,
      pseudonymizer,
      logger: log.child({ module: 'call' }),
      flow: () => this.#flow!,
      answerOnRing: config.line.answerOnRing,
      emergencyNotice: config.call.emergencyNotice,
      maxCallMs: config.call.maxCallSeconds * 1000,
      nightMode: () => this.#mode === 'night',
      answering: () => !this.#frontDeskForced,
      minSpeechConfidence: config.speech.minConfidence,
      promptAudio: this.#line.kind === 'simulated' ? null : this.#promptLibrary(),
      screening: this.#floodGuard
        ? {
            guard: this.#floodGuard,
            challenge: guardSettingsFromConfig(config.guard).challenge,
            random: cryptoRandom,
          }
        : null,
      callbacks: {
        store: this.#callbacks,
        retentionMs: config.privacy.retentionDays.callbacks * DAY_MS,
      },
      callEvents: new SqliteCallEventStore(this.#db),
      voicemail: config.call.voicemail.enabled
        ? new SqliteVoicemailStore({
            db: this.#db,
            sealer: new NumberSealer(secret, 'linekeeper voicemail v1'),
            dir: paths.voicemail,
            retentionMs: config.privacy.retentionDays.voicemails * DAY_MS,
          })
        : null,
    });
    this.#wireCallEvents(this.#desk);
    this.#desk.start();

    if (config.web.enabled) await this.#startWeb();
    // Watch the event loop only from here: start-up (module loading, migrations, a speech model)
    // may block it for seconds, while the line is still on the front desk anyway.
    await this.#startStallWatchdog(this.#relays, this.#lineGuard);
    await this.#lineGuard.clear('not-started');
    this.#publishStatus();
    log.info(
      { line: this.#line.kind, web: this.#webAddress, dataDir: paths.dataDir },
      'linekeeper ready',
    );
  }

  async stop(): Promise<void> {
    // The line goes back to the front desk before anything else stops.
    await this.#lineGuard?.release('stopping').catch(() => {});
    this.#lineGuard?.unwatch();
    this.#desk?.stop();
    await this.#line
      ?.stop()
      .catch((error: unknown) => this.#logger.warn({ err: error }, 'line stop failed'));
    this.#live?.stop();
    await this.#web?.close();
    await this.#recognizer?.stop();
    await this.#status?.stop();
    if (this.#guardTick) clearInterval(this.#guardTick);
    await this.#purge?.stop();
    await this.#db?.stop();
    await this.#store?.stop();
    await this.#stallWatchdog?.stop();
    this.#provisioningLed?.abort();
    await this.#relays?.stop();
    this.#logger.info('linekeeper stopped');
  }

  status(): ApplianceStatus {
    const line = this.#line;
    const callId = this.#desk?.currentCallId() ?? null;
    return {
      device: this.#config.device.id,
      version: packageVersion(),
      line: { kind: line?.kind ?? this.#config.line.driver, state: line?.state() ?? 'down' },
      speech: this.#speechStatus,
      relays: {
        kind: this.#relays?.kind ?? 'none',
        lineSelect: this.#relays?.get('line-select') ? 'appliance' : 'front-desk',
      },
      currentCall: callId ? { callId, stage: this.#stage ?? 'answering' } : null,
      mode: this.#mode,
      frontDeskForced: this.#frontDeskForced,
      callsToday: this.#callsToday,
      guard: guardStatus(this.#floodGuard),
      updatedAt: new Date().toISOString(),
    };
  }

  // --- ApplianceCommands: remote controls (MQTT now, the web page later) -----------------------

  async setMode(mode: OperatingMode): Promise<string> {
    this.#mode = mode;
    this.#logger.info({ mode }, 'operating mode changed');
    this.#publishStatus();
    return mode === 'night'
      ? 'night mode: business-hours checks answer closed'
      : 'day mode: business hours as the flow says';
  }

  async forceFrontDesk(force: boolean): Promise<string> {
    this.#frontDeskForced = force;
    await (force
      ? this.#lineGuard?.release('front-desk-forced')
      : this.#lineGuard?.clear('front-desk-forced'));
    this.#logger.info(
      { force },
      force ? 'line forced to the front desk' : 'front-desk override cleared',
    );
    this.#publishStatus();
    return force
      ? 'the line rings at the front desk; the appliance does not answer'
      : 'the appliance answers again';
  }

  async reloadFlow(): Promise<string> {
    // A bad file keeps the running flow: a typo must never take the line down.
    const { flow, warnings } = flowCheckedForConfig(
      flowSpecInEffect(this.#config.call.flow, this.#config.dataDir),
      this.#config,
    );
    this.#flow = flow;
    this.#logger.info({ flow: flow.name, warnings: warnings.length }, 'flow reloaded');
    return `flow "${flow.name}" loaded (${Object.keys(flow.nodes).length} nodes, ${warnings.length} warnings); calls in progress keep the old one`;
  }

  /**
   * The single owner of line-select: the line is the appliance's only while it is started, the
   * line driver is up, storage works, the event loop turns and nobody forced the front desk.
   */
  #createGuard(relays: Relays): LineHealthGuard {
    const log = this.#logger;
    const w = this.#config.relays.watchdog;
    return new LineHealthGuard({
      relays,
      clock: this.#clock,
      recoverAfterMs: w.recoverAfterSeconds === null ? null : w.recoverAfterSeconds * 1000,
      onChange: ({ energised, reasons, error }) => {
        if (error) log.error({ err: error, reasons }, 'line-select could not be switched');
        else
          log.warn(
            { reasons },
            energised ? 'line on the appliance' : 'line released to the front desk',
          );
        this.#publishStatus();
      },
    });
  }

  /**
   * The flood guard, with what storage remembers (normal load, known callers, blocks), its
   * alerts on MQTT and the dashboard, and blocks persisted so a restart does not lift them.
   */
  #startFloodGuard(pseudonymizer: CallerPseudonymizer): FloodGuard {
    const config = this.#config;
    const settings = guardSettingsFromConfig(config.guard);
    const store = new SqliteGuardStore(this.#db!);
    const guard = new FloodGuard({
      settings,
      clock: this.#clock,
      allowList: config.guard.allowList.map((n) => pseudonymizer.hashNumber(n)),
      blockList: config.guard.blockList.map((n) => pseudonymizer.hashNumber(n)),
    });
    guard.seed(store.loadHistory(this.#clock.now(), settings.knownForMs));
    const log = this.#logger.child({ module: 'guard' });
    for (const name of ['flood-started', 'flood-ended', 'caller-blocked'] as const) {
      guard.events.on(name, (event) => {
        log.warn(
          { alert: name, ...(name === 'caller-blocked' ? {} : event) },
          `call flood guard: ${name}`,
        );
        this.#status?.publishEvent(name, event as never);
        this.#live?.broadcast('alert', { name });
        // The retained state and every open page carry the flood while it lasts.
        this.#publishStatus();
      });
    }
    guard.events.on('caller-blocked', ({ block }) => store.saveBlock(block));
    this.#guardTick = setInterval(() => guard.tick(), 60_000);
    this.#guardTick.unref();
    return guard;
  }

  /** /privacy: the CLI's data-subject requests; an erased number is forgotten by the guard too. */
  #privacyPageDeps(pseudonymizer: CallerPseudonymizer, secret: Buffer): PrivacyPageDeps {
    return {
      requests: new DataSubjectRequests({
        pseudonymizer,
        sealer: new NumberSealer(secret),
        store: new SqliteDataSubjectStore(this.#db!),
        audit: new SqliteAuditLog(this.#db!),
        clock: this.#clock,
      }),
      retention: retentionFromConfig(this.#config.privacy),
      voicemail: this.#config.call.voicemail.enabled,
      onErased: (number) => this.#floodGuard?.forget(pseudonymizer.hashNumber(number)),
    };
  }

  /**
   * The flow edited on the web page when there is one, else call.flow. An edited file that no
   * longer passes (changed by hand, or voicemail switched off since it was saved) must not keep
   * the appliance from answering: it falls back to the configured flow, loudly.
   */
  #loadCheckedFlow() {
    const configured = this.#config.call.flow;
    const spec = flowSpecInEffect(configured, this.#config.dataDir);
    if (spec !== configured) {
      try {
        return flowCheckedForConfig(spec, this.#config).flow;
      } catch (error) {
        this.#logger.error(
          { err: error, file: spec, fallback: configured },
          `the flow edited on the web page (${spec}) is not usable; answering with call.flow (${configured}) until it is fixed on the /flows page`,
        );
      }
    }
    return flowCheckedForConfig(configured, this.#config).flow;
  }

  /** A worker thread that releases line-select itself if this thread stops turning. */
  async #startStallWatchdog(relays: Relays, guard: LineHealthGuard): Promise<void> {
    const w = this.#config.relays.watchdog;
    if (!w.enabled) return;
    const plan = relays instanceof GpioRelays ? relays.failSafePlan() : null;
    this.#stallWatchdog = new StallWatchdog({ plan, stallMs: w.stallMs });
    await this.#stallWatchdog.start();
    this.#stallWatchdog.events.on('tripped', (report) =>
      this.#logger.error(
        { stall: report },
        'event loop stalled: line-select was released by the watchdog',
      ),
    );
    guard.watchStalls(this.#stallWatchdog);
  }

  async #startWeb(): Promise<void> {
    const { host, port, https } = this.#config.web;
    this.#live = new LiveUpdates({
      logger: this.#logger,
      changeToken: () => this.#store!.changeToken(),
      // Calls may be stored by another process (linekeeper simulate): recount rather than add.
      onChange: () => void this.#recountCallsToday(),
    });
    this.#live.start();
    const tls = https.enabled ? this.#webCertificate() : null;
    const scheme = tls ? 'https' : 'http';
    const shownHost = host.includes(':')
      ? `[${host}]`
      : host === '0.0.0.0' || host === '::'
        ? hostname()
        : host;
    this.#web = buildWebApp({
      store: this.#store!,
      status: () => this.status(),
      live: this.#live,
      logger: this.#logger,
      allowedHosts: webHostNames(host, this.#config.web.allowedHosts),
      system: this.#systemPages(),
      privacy: this.#privacyPage!,
      // A flow saved on the page (<dataDir>/flows/active.yaml) wins over call.flow; see there.
      flows: flowsPageDeps(this.#config, {
        reload: () => this.reloadFlow(),
        logger: this.#logger,
        nightMode: () => this.#mode === 'night',
      }),
      uiLanguage: this.#config.web.language,
      ...(tls
        ? { https: { key: readFileSync(tls.keyFile), cert: readFileSync(tls.certFile) } }
        : {}),
      admin: {
        db: this.#db!,
        callbacks: this.#callbacks!,
        totpSealer: this.#totpSealer!,
        // Plain HTTP only ever on loopback (config check); on the LAN, cookies are Secure.
        secure: tls !== null,
        // The one-time code goes to the journal and, for a person at the console, in plain words.
        announceSetupCode: (code) => {
          this.#logger.warn(
            { setupCode: code },
            'no admin account yet: use the setup code to create one',
          );
          process.stderr.write(
            `First run: open ${scheme}://${shownHost}:${port}/setup and enter the one-time setup code ${code}\n`,
          );
        },
      },
    });
    this.#webAddress = await listenWebApp(this.#web, host, port);
  }

  /** One prompt library for calls and the /prompts page, so an upload is heard on the next call. */
  #promptLibrary(): PromptLibrary {
    this.#prompts ??= createPromptLibrary(this.#config);
    return this.#prompts;
  }

  /** What /settings, /system and /prompts need. */
  #systemPages(): SystemPagesDeps {
    const config = this.#config;
    return {
      running: config,
      settings: new SettingsStore({
        configFile: this.#options.configFile ?? null,
        settingsFile: settingsFilePath(config),
      }),
      flow: () => this.#flow!,
      prompts: this.#promptLibrary(),
      recordingsDir: uploadedRecordingsDir(config),
      dataDir: dataPaths(config).dataDir,
      startedAtMs: this.#startedAtMs,
      mqtt: () => this.#status?.health() ?? { state: 'off', detail: '' },
      tlsFingerprint: this.#tlsFingerprint,
      restart: {
        // systemd sets these for its services; run by hand, nobody starts us again.
        supervised: Boolean(process.env.NOTIFY_SOCKET || process.env.INVOCATION_ID),
        request: () => {
          this.#logger.warn('restart requested on the web page');
          if (this.#options.restart) this.#options.restart();
          else this.#logger.error('no restart action wired: restart linekeeper by hand');
        },
      },
    };
  }

  /** The self-signed certificate (made once, as first boot does); its fingerprint is logged. */
  #webCertificate() {
    const name = hostname();
    const tls = ensureTlsCertificate(
      join(dataPaths(this.#config).dataDir, 'tls'),
      `linekeeper ${this.#config.device.id}`,
      [
        ...new Set([
          `DNS:${name}`,
          `DNS:${name}.local`,
          'DNS:localhost',
          ...this.#config.web.allowedHosts.map(altName),
        ]),
      ],
    );
    this.#logger.info(
      { fingerprint256: tls.fingerprint256, certFile: tls.certFile },
      'web page certificate',
    );
    process.stderr.write(`Web page certificate SHA-256 fingerprint: ${tls.fingerprint256}\n`);
    this.#tlsFingerprint = tls.fingerprint256;
    return tls;
  }

  #wireCallEvents(desk: CallDesk): void {
    const status = this.#status!;
    desk.events.on('call-started', (e) => {
      this.#stage = 'greeting';
      status.publishEvent('call-started', e);
      this.#publishStatus();
    });
    desk.events.on('prompt-played', (e) => {
      this.#stage = e.promptId;
    });
    desk.events.on('menu-choice', (e) => status.publishEvent('menu-choice', e));
    desk.events.on('routed', (e) => {
      this.#stage = `routed: ${e.route}`;
      status.publishEvent('routed', e);
    });
    desk.events.on('call-ended', (e) => {
      this.#stage = null;
      status.publishEvent('call-ended', e);
    });
    desk.events.on('call-saved', () => void this.#recountCallsToday());
    desk.events.on('call-save-failed', ({ error }) => {
      // Without storage the appliance must not keep answering: hand the line to the front desk.
      this.#logger.error({ err: error }, 'storage failed: releasing the line to the front desk');
      void this.#lineGuard?.release('storage-failed');
      this.#publishStatus();
    });
    desk.events.on('storage-recovered', () => {
      void this.#lineGuard?.clear('storage-failed');
      this.#publishStatus();
    });
  }

  async #recountCallsToday(): Promise<void> {
    try {
      this.#callsToday = await this.#store!.countCallsSince(startOfToday());
    } catch (error) {
      this.#logger.warn({ err: error }, "could not count today's calls");
    }
    this.#publishStatus();
  }

  #publishStatus(): void {
    const status = this.status();
    this.#status?.publishStatus(status);
    this.#live?.broadcast('status', status);
  }
}

/**
 * Host names the page answers to (the DNS-rebinding guard): loopback, the configured address,
 * and on a LAN binding the box's own name, its .local name, its addresses and the extra names
 * from web.allowedHosts.
 */
function webHostNames(host: string, extra: readonly string[]): Set<string> {
  const names = new Set([
    ...LOOPBACK_NAMES,
    host.toLowerCase(),
    ...extra.map((h) => h.toLowerCase()),
  ]);
  if (!LOOPBACK_NAMES.includes(host)) {
    const name = hostname().toLowerCase();
    names.add(name);
    names.add(`${name}.local`);
    for (const addresses of Object.values(networkInterfaces())) {
      for (const a of addresses ?? [])
        names.add(a.family === 'IPv6' ? `[${a.address}]` : a.address);
    }
  }
  return names;
}

/** A subjectAltName entry for a configured host: IP or DNS. */
function altName(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '');
  return isIP(bare) ? `IP:${bare}` : `DNS:${bare}`;
}

function startOfToday(): Date {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d;
}
