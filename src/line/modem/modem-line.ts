import { AudioFormatError } from '../../audio/audio-errors.js';
import { decodePcm, encodePcm } from '../../audio/pcm-formats.js';
import { LinekeeperError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { type Clock, sleep, systemClock } from '../../shared/timer-clock.js';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import type {
  HangupCause,
  Line,
  LineEvents,
  LineState,
  PlayOutcome,
  Prompt,
  TransferOutcome,
  TransferRequest,
} from '../line-port.js';
import { AtCommandEngine } from './at-command-engine.js';
import { pumpAudio } from './audio-pump.js';
import { parseCallerIdLine } from './caller-id.js';
import { DtmfTracker } from './dtmf-tracker.js';
import { ModemError, ModemNotRespondingError, ModemTimeoutError } from './modem-errors.js';
import { type ModemOptions, resolveModemOptions } from './modem-options.js';
import { ModemSession } from './modem-session.js';
import { RingTracker } from './ring-tracker.js';
import { type PortOpener, SerialConnection } from './serial-connection.js';
import { voiceEventOf } from './voice-events.js';

interface ActiveCall {
  answeredAt: number;
  samplesReceived: number;
  ended: boolean;
  dtmf: DtmfTracker;
  /** Set while a hook-flash transfer listens for the extension's busy tone. */
  onBusy?: () => void;
}

interface Link {
  connection: SerialConnection;
  engine: AtCommandEngine;
  session: ModemSession;
  /** When the modem last sent anything (clock ms): the receive watchdog's evidence. */
  lastRxAt: number;
}

export interface ModemLineDeps {
  options: Partial<ModemOptions> & { device: string };
  log: Logger;
  clock?: Clock;
  opener?: PortOpener;
}

/**
 * The Line port over a V.253 voice modem. Owns one serial link at a time; when the link fails
 * (unplug, hung modem) it reports the line down, drops any call with cause `line-fault`, and
 * reconnects with backoff until the modem is back, without a service restart.
 */
export class ModemLine implements Line {
  readonly kind = 'modem';
  readonly events = new TypedEmitter<LineEvents>();
  readonly #deps: ModemLineDeps;
  readonly #clock: Clock;
  readonly #log: Logger;
  #options: ModemOptions | undefined;
  #link: Link | undefined;
  #state: LineState = 'down';
  #running = false;
  #call: ActiveCall | undefined;
  #answering: Promise<void> | undefined;
  #takenElsewhere = false;
  /** After an extension answered, stray rings of that call are not a new call. */
  #ignoreRingsUntil = 0;
  #rings: RingTracker | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  #watchdogTimer: unknown;
  #receiveTimer: unknown;
  #reconnectTimer: unknown;
  #reconnectDelayMs = 0;

  constructor(deps: ModemLineDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    this.#log = deps.log;
  }

  state(): LineState {
    return this.#state;
  }

  /** The profile in use, once the modem has been initialised (for status pages and probes). */
  profileName(): string | undefined {
    try {
      return this.#link?.session.profile.name;
    } catch {
      return undefined;
    }
  }

  /**
   * Opens and initialises the modem. Invalid options reject; a missing or hung modem does not:
   * the line reports `down` and keeps retrying, so the appliance (and its fall-through relay)
   * keeps running while a technician replugs the modem.
   */
  async start(): Promise<void> {
    const options = resolveModemOptions(this.#deps.options);
    this.#options = options;
    this.#running = true;
    this.#reconnectDelayMs = options.reconnectInitialMs;
    this.#rings = new RingTracker(this.#clock, options.ringGapMs, {
      ring: (count) => this.#onRingCounted(count),
      callerId: (callerId) => this.events.emit('callerId', callerId),
      gone: () => this.#setState('idle', 'rings stopped before answer'),
    });
    try {
      await this.#connect();
    } catch (error) {
      this.#fault(error);
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#clearTimer('watchdog');
    this.#clearTimer('receive');
    this.#clearTimer('reconnect');
    this.#rings?.reset();
    if (this.#call) await this.#endCall('local', 'linekeeper stopping').catch(() => {});
    await this.#lock.catch(() => {});
    const link = this.#link;
    this.#link = undefined;
    if (link) {
      link.engine.failAll(new ModemError('MODEM_STOPPED', 'modem line stopped'));
      await link.connection.close();
    }
    this.#setState('down', 'stopped');
  }

  answer(): Promise<void> {
    if (this.#call) return Promise.resolve();
    if (this.#answering) return this.#answering;
    const link = this.#link;
    if (!link || (this.#state !== 'ringing' && this.#state !== 'idle')) {
      return Promise.reject(
        new ModemError('MODEM_BAD_STATE', `cannot answer while the modem line is ${this.#state}`),
      );
    }
    this.#answering = this.#exclusive(() => this.#doAnswer(link))
      .catch((error: unknown) => {
        // A modem that does not go off hook is hung or gone. Left alone, the line would stay
        // "ringing" (the idle watchdog only probes an idle line), line-select on the appliance,
        // and every later call would ring unanswered: fault it, as a failed watchdog ping does.
        if (this.#link === link) this.#fault(error);
        throw error;
      })
      .finally(() => {
        this.#answering = undefined;
      });
    return this.#answering;
  }

  async play(prompt: Prompt, signal?: AbortSignal): Promise<PlayOutcome> {
    const call = this.#call;
    const link = this.#link;
    if (!call || !link) return 'hangup';
    if (signal?.aborted) return 'interrupted';
    const audio = prompt.audio;
    if (!audio || audio.samples.length === 0) {
      this.#log.warn(
        { prompt: prompt.id },
        'prompt has no audio: nothing to play on the modem line',
      );
      return 'completed';
    }
    const profile = link.session.profile;
    if (audio.sampleRate !== profile.sampleRate) {
      throw new AudioFormatError(
        `prompt ${prompt.id} is ${audio.sampleRate} Hz but the modem plays ${profile.sampleRate} Hz: resample it first`,
      );
    }
    const encoded = encodePcm(profile.pcmFormat, audio.samples);
    const stopped = () => call.ended || signal?.aborted === true;
    return this.#exclusive(async (): Promise<PlayOutcome> => {
      if (call.ended) return 'hangup';
      try {
        if (!profile.fullDuplex) {
          await link.session.stopStream();
          await link.session.startTransmit();
        }
        const result = await pumpAudio(encoded, {
          clock: this.#clock,
          bytesPerMs: (profile.sampleRate / 1000) * (profile.pcmFormat === 's16le' ? 2 : 1),
          leadMs: this.#options!.playLeadMs,
          chunkMs: 20,
          write: (chunk) => link.session.writeAudio(chunk),
          stopped,
        });
        if (!profile.fullDuplex && !call.ended) {
          await link.session.stopStream(result === 'stopped');
          if (!call.ended) await link.session.startReceive();
        }
        if (call.ended) return 'hangup';
        return result === 'stopped' ? 'interrupted' : 'completed';
      } catch (error) {
        if (call.ended) return 'hangup';
        this.#fault(error);
        return 'hangup';
      }
    });
  }

  async transfer(request: TransferRequest): Promise<TransferOutcome> {
    const call = this.#call;
    const link = this.#link;
    if (!call || !link) return 'failed';
    if (request.method !== 'hook-flash') {
      // Relays are not the modem's: the relay adapter switches, then the session hangs us up.
      this.#log.warn({ target: request.target }, 'modem line cannot transfer by relay');
      return 'failed';
    }
    return this.#exclusive(async (): Promise<TransferOutcome> => {
      if (call.ended) return 'failed';
      this.#setState('transferring', `to ${request.target}`);
      try {
        await link.session.stopStream(true);
        await link.session.hookFlash();
        await sleep(this.#clock, 300);
        if (request.extension) await link.session.dial(request.extension);
        const busy = await this.#listenForBusy(
          call,
          Math.min(request.answerTimeoutMs, this.#options!.transferBusyWindowMs),
        );
        if (call.ended) return 'failed';
        if (busy) {
          // Flash back to the caller on hold and carry on with the call.
          await link.session.hookFlash();
          await this.#startListening(link);
          this.#setState('connected', `${request.target} busy`);
          return 'busy';
        }
        call.ended = true;
        this.#call = undefined;
        call.dtmf.flush();
        await link.session.onHook();
        this.events.emit('hangup', { cause: 'local' });
        this.#setState('idle', `transferred to ${request.target}`);
        return 'connected';
      } catch (error) {
        if (!call.ended) this.#fault(error);
        return 'failed';
      }
    });
  }

  async hangup(): Promise<void> {
    if (this.#call) await this.#endCall('local', 'hung up');
  }

  // --- connection lifecycle ------------------------------------------------------------

  async #connect(): Promise<void> {
    const options = this.#options!;
    const log = this.#log;
    const connection = new SerialConnection({
      path: options.device,
      baudRate: options.baudRate,
      log,
      ...(this.#deps.opener ? { opener: this.#deps.opener } : {}),
      ...(options.capturePath ? { capturePath: options.capturePath } : {}),
    });
    const engine = new AtCommandEngine({
      device: options.device,
      write: (bytes) => connection.write(bytes),
      clock: this.#clock,
      defaultTimeoutMs: options.commandTimeoutMs,
      log,
    });
    const session = new ModemSession({ connection, engine, options, clock: this.#clock, log });
    const link: Link = { connection, engine, session, lastRxAt: this.#clock.now() };
    this.#link = link;
    connection.events.on('token', (token) => {
      link.lastRxAt = this.#clock.now();
      engine.handle(token);
    });
    connection.events.on('lost', ({ error }) => {
      if (this.#link === link) this.#fault(error);
    });
    engine.events.on('unsolicited', ({ line }) => this.#link === link && this.#onLine(line));
    engine.events.on('event', ({ code }) => this.#link === link && this.#onEvent(link, code));
    engine.events.on('audio', ({ bytes }) => this.#link === link && this.#onAudio(link, bytes));
    engine.events.on('endOfData', () => this.#link === link && this.#onEndOfData(link));
    await connection.open();
    await session.initialise();
    this.#reconnectDelayMs = options.reconnectInitialMs;
    this.#takenElsewhere = false;
    this.#setState('idle', `modem ready (${session.profile.name})`);
    this.#scheduleWatchdog();
  }

  #fault(error: unknown): void {
    const options = this.#options!;
    const failure =
      error instanceof ModemTimeoutError
        ? new ModemNotRespondingError(options.device, error.message, { cause: error })
        : error instanceof LinekeeperError
          ? error
          : new ModemError('MODEM_FAILED', `modem on ${options.device} failed: ${String(error)}`, {
              cause: error,
            });
    this.#log.error({ err: failure, code: failure.code }, 'modem line fault');
    const link = this.#link;
    this.#link = undefined;
    this.#clearTimer('watchdog');
    this.#clearTimer('receive');
    this.#rings?.reset();
    const call = this.#call;
    if (call) {
      call.ended = true;
      this.#call = undefined;
      call.dtmf.flush();
      this.events.emit('hangup', { cause: 'line-fault' });
    }
    this.#setState('down', `${failure.code}: ${failure.message}`);
    if (link) {
      link.engine.failAll(
        failure instanceof ModemError ? failure : new ModemError(failure.code, failure.message),
      );
      void link.connection.close();
    }
    if (this.#running && this.#reconnectTimer === undefined) this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const options = this.#options!;
    const delay = this.#reconnectDelayMs;
    this.#reconnectDelayMs = Math.min(options.reconnectMaxMs, delay * 2);
    this.#log.info({ delayMs: delay }, 'modem reconnect scheduled');
    this.#reconnectTimer = this.#clock.setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (!this.#running) return;
      this.#connect().catch((error: unknown) => this.#fault(error));
    }, delay);
  }

  #scheduleWatchdog(): void {
    this.#clearTimer('watchdog');
    // A timer armed after stop() would keep the process alive for a whole interval.
    if (!this.#running) return;
    this.#watchdogTimer = this.#clock.setTimeout(() => {
      this.#watchdogTimer = undefined;
      const link = this.#link;
      if (!link || !this.#running) return;
      if (this.#state !== 'idle' || link.engine.busy) {
        this.#scheduleWatchdog();
        return;
      }
      link.session.ping().then(
        () => this.#link === link && this.#scheduleWatchdog(),
        (error: unknown) => this.#link === link && this.#fault(error),
      );
    }, this.#options!.watchdogIntervalMs);
  }

  /**
   * While a call lasts, checks that the modem keeps sending: in a receive or duplex stream it
   * sends audio continuously, so silence from the port means a hung or vanished modem (the
   * port's own close is not always seen, and a listening call sends no command that could time
   * out). Outside receive (a half-duplex modem transmitting a prompt) the evidence restarts.
   */
  #scheduleReceiveCheck(link: Link, call: ActiveCall): void {
    const limit = this.#options!.receiveSilenceMs;
    this.#clearTimer('receive');
    this.#receiveTimer = this.#clock.setTimeout(() => {
      this.#receiveTimer = undefined;
      // After an event-loop stall the timer runs before the port's buffered bytes are read:
      // judge only once I/O has had its turn.
      setImmediate(() => {
        if (this.#link !== link || this.#call !== call || call.ended) return;
        const stream = link.session.stream;
        const now = this.#clock.now();
        if (stream !== 'receive' && stream !== 'duplex') link.lastRxAt = now;
        else if (now - link.lastRxAt >= limit) {
          this.#fault(
            new ModemNotRespondingError(
              this.#options!.device,
              `no audio for ${Math.round(now - link.lastRxAt)} ms during a call`,
            ),
          );
          return;
        }
        this.#scheduleReceiveCheck(link, call);
      });
    }, limit / 4);
  }

  #clearTimer(which: 'watchdog' | 'receive' | 'reconnect'): void {
    const handle =
      which === 'watchdog'
        ? this.#watchdogTimer
        : which === 'receive'
          ? this.#receiveTimer
          : this.#reconnectTimer;
    if (handle !== undefined) this.#clock.clearTimeout(handle);
    if (which === 'watchdog') this.#watchdogTimer = undefined;
    else if (which === 'receive') this.#receiveTimer = undefined;
    else this.#reconnectTimer = undefined;
  }

  // --- what the modem tells us ---------------------------------------------------------

  #onLine(line: string): void {
    if (line === 'RING') {
      this.#onRing();
      return;
    }
    const parsed = parseCallerIdLine(line);
    if (parsed.kind === 'field') {
      if (!this.#call) this.#rings?.callerIdFields(parsed.fields);
    } else if (parsed.kind === 'invalid') {
      this.#log.warn({ reason: parsed.reason }, 'unusable caller-ID message from modem');
    } else if (line === 'NO CARRIER' && this.#call) {
      void this.#endCall('remote', 'modem reported NO CARRIER');
    } else {
      this.#log.debug({ line }, 'unsolicited modem line ignored');
    }
  }

  #onRing(): void {
    if (this.#call || this.#state === 'down' || this.#state === 'transferring') return;
    const now = this.#clock.now();
    if (now < this.#ignoreRingsUntil) {
      this.#ignoreRingsUntil = now + this.#options!.ringGapMs;
      return;
    }
    this.#rings?.ring();
  }

  #onRingCounted(count: number): void {
    if (count === 1) this.#takenElsewhere = false;
    this.#setState('ringing');
    this.events.emit('ring', { count });
    const answerOn = this.#options!.answerOnRing;
    if (answerOn > 0 && count === answerOn && !this.#takenElsewhere) {
      this.answer().catch((error: unknown) =>
        this.#log.error({ err: error }, 'auto-answer failed'),
      );
    }
  }

  #onEvent(link: Link, code: string): void {
    const event = voiceEventOf(code, link.session.profile.handsetCodes);
    const call = this.#call;
    switch (event.kind) {
      case 'dtmf':
        call?.dtmf.digit(event.digit);
        return;
      case 'dtmf-start':
        call?.dtmf.start();
        return;
      case 'dtmf-end':
        call?.dtmf.end();
        return;
      case 'ring':
        this.#onRing();
        return;
      case 'handset':
        if (call) {
          void this.#endCall(
            'local',
            'a handset on the line was picked up: the caller is with a person',
          );
        } else if (this.#state === 'ringing') {
          this.#takenElsewhere = true;
          this.#ignoreRingsUntil = this.#clock.now() + this.#options!.ringGapMs;
          this.#rings?.reset();
          this.#setState('idle', 'answered on an extension');
        }
        return;
      case 'far-end-gone':
        if (call && this.#state === 'transferring') {
          if (event.reason === 'busy') call.onBusy?.();
        } else if (call) {
          void this.#endCall('remote', `far end gone (${event.reason})`);
        }
        return;
      default:
        this.#log.debug({ code, event: event.kind }, 'modem voice event');
    }
  }

  #onAudio(link: Link, bytes: Uint8Array): void {
    const call = this.#call;
    if (!call || call.ended) return;
    const profile = link.session.profile;
    const samples = decodePcm(profile.pcmFormat, bytes);
    this.events.emit('audio', {
      samples,
      sampleRate: profile.sampleRate,
      timestampMs: (call.samplesReceived * 1000) / profile.sampleRate,
    });
    call.samplesReceived += samples.length;
  }

  #onEndOfData(link: Link): void {
    if (link.session.stream === 'none') return;
    link.session.streamEndedByModem();
    if (this.#call && this.#state === 'connected')
      void this.#endCall('remote', 'modem ended the voice stream');
  }

  // --- call control --------------------------------------------------------------------

  async #doAnswer(link: Link): Promise<void> {
    if (this.#call) return;
    this.#rings?.flushCallerId();
    this.#rings?.reset();
    if (this.#takenElsewhere) {
      this.#setState('idle', 'answered on an extension');
      return;
    }
    await link.session.offHook();
    const answeredAt = this.#clock.now();
    const call: ActiveCall = {
      answeredAt,
      samplesReceived: 0,
      ended: false,
      dtmf: new DtmfTracker(this.#clock, this.#options!.dtmfStopTimeoutMs, (press) => {
        if (call.ended) return;
        this.events.emit('dtmf', {
          digit: press.digit,
          atMs: Math.max(0, press.atMs - answeredAt),
          ...(press.durationMs === undefined ? {} : { durationMs: press.durationMs }),
        });
      }),
    };
    this.#call = call;
    this.#setState('connected');
    this.#scheduleReceiveCheck(link, call);
    if (this.#takenElsewhere) {
      // A person picked up while we went off hook: never play a greeting into their call.
      await this.#releaseLine(link, call, 'local', 'answered on an extension');
      return;
    }
    await this.#startListening(link);
  }

  async #startListening(link: Link): Promise<void> {
    if (link.session.profile.fullDuplex) await link.session.startDuplex();
    else await link.session.startReceive();
  }

  #endCall(cause: HangupCause, detail: string): Promise<void> {
    const call = this.#call;
    const link = this.#link;
    if (!call || call.ended || !link) return Promise.resolve();
    call.ended = true;
    this.#call = undefined;
    call.dtmf.flush();
    this.events.emit('hangup', { cause });
    return this.#exclusive(() => this.#releaseLine(link, call, cause, detail, false));
  }

  async #releaseLine(
    link: Link,
    call: ActiveCall,
    cause: HangupCause,
    detail: string,
    emit = true,
  ): Promise<void> {
    if (emit) {
      call.ended = true;
      this.#call = undefined;
      this.events.emit('hangup', { cause });
    }
    try {
      await link.session.stopStream(true);
      await link.session.onHook();
      this.#setState('idle', detail);
      this.#scheduleWatchdog();
    } catch (error) {
      if (this.#link === link) this.#fault(error);
    }
  }

  #listenForBusy(call: ActiveCall, windowMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        call.onBusy = undefined;
        resolve(false);
      }, windowMs);
      call.onBusy = () => {
        this.#clock.clearTimeout(timer);
        call.onBusy = undefined;
        resolve(true);
      };
    });
  }

  #setState(state: LineState, detail?: string): void {
    if (state === this.#state && detail === undefined) return;
    this.#state = state;
    this.#log.info({ state, detail }, 'modem line state');
    this.events.emit('state', detail === undefined ? { state } : { state, detail });
  }

  /** Serialises modem operations: a voice stream and an AT command cannot interleave. */
  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(operation, operation);
    this.#lock = run.catch(() => {});
    return run;
  }
}
