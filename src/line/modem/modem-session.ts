import type { Logger } from '../../shared/logger.js';
import { type Clock, sleep } from '../../shared/timer-clock.js';
import type { AtCommandEngine } from './at-command-engine.js';
import { CAN, DLE, dleControl, dleEscape, ETX } from './dle-codec.js';
import { ModemUnsupportedError } from './modem-errors.js';
import { identifyModem, type ModemIdentity } from './modem-identify.js';
import type { ModemOptions } from './modem-options.js';
import {
  COUNTRY_CODES,
  MODEM_PROFILES,
  type ModemProfile,
  profileForIdentity,
} from './modem-profiles.js';
import type { SerialConnection } from './serial-connection.js';

export type StreamMode = 'none' | 'receive' | 'transmit' | 'duplex';

/**
 * The V.253 vocabulary of one opened modem: initialise, go off hook, start and stop voice
 * streams, flash, hang up. It knows AT commands; it does not know about calls or prompts.
 */
export class ModemSession {
  readonly #connection: SerialConnection;
  readonly #engine: AtCommandEngine;
  readonly #options: ModemOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  #profile: ModemProfile | undefined;
  #identity: ModemIdentity | undefined;
  #stream: StreamMode = 'none';

  constructor(deps: {
    connection: SerialConnection;
    engine: AtCommandEngine;
    options: ModemOptions;
    clock: Clock;
    log: Logger;
  }) {
    this.#connection = deps.connection;
    this.#engine = deps.engine;
    this.#options = deps.options;
    this.#clock = deps.clock;
    this.#log = deps.log;
  }

  get profile(): ModemProfile {
    if (!this.#profile) throw new Error('modem session used before initialise()');
    return this.#profile;
  }

  get identity(): ModemIdentity | undefined {
    return this.#identity;
  }

  get stream(): StreamMode {
    return this.#stream;
  }

  /** Brings a modem in any state (even mid-stream from a crashed run) to voice command mode. */
  async initialise(): Promise<ModemProfile> {
    const device = this.#options.device;
    // A previous process may have left a stream open: end it and clear the command buffer.
    await this.#connection.write(Uint8Array.of(DLE, 0x21, DLE, ETX, 0x0d));
    await sleep(this.#clock, 100);
    this.#connection.parser.commandMode();
    this.#stream = 'none';
    await this.#engine.run('ATZ', this.#options.commandTimeoutMs * 2);
    await this.#engine.run('ATE0V1Q0');
    this.#engine.setNumericMode(false);
    this.#identity = await identifyModem(this.#engine);
    const base =
      this.#options.profile === 'auto'
        ? profileForIdentity(this.#identity.text)
        : MODEM_PROFILES[this.#options.profile];
    const profile: ModemProfile = { ...base, ...this.#options.profileOverrides };
    this.#profile = profile;
    this.#log.info({ profile: profile.name, identity: this.#identity.text }, 'modem identified');
    const fclass = await this.#engine.send('AT+FCLASS=8');
    if (fclass.result !== 'OK')
      throw new ModemUnsupportedError(device, 'has no voice mode (AT+FCLASS=8 failed)');
    const country = this.#options.country.toUpperCase();
    if (country !== '') await this.#engine.run(`AT+GCI=${COUNTRY_CODES[country]}`);
    for (const command of [`AT+VSM=${profile.sampleMode}`, ...profile.voiceSetup]) {
      await this.#engine.run(command);
    }
    const cid = await this.#engine.send(profile.callerIdCommand);
    if (cid.result !== 'OK')
      this.#log.warn({ command: profile.callerIdCommand }, 'modem refused caller ID');
    for (const command of this.#options.extraInit) await this.#engine.run(command);
    await this.#engine.run('AT+VLS=0');
    return profile;
  }

  /** Probes an idle modem; rejects with ModemTimeoutError when it does not answer. */
  async ping(): Promise<void> {
    await this.#engine.run('AT');
  }

  /** Off hook with the telephone line connected to the modem's voice path. */
  async offHook(): Promise<void> {
    await this.#engine.run('AT+VLS=1');
  }

  async startReceive(): Promise<void> {
    this.#connection.parser.expectVoiceData();
    this.#stream = 'receive';
    await this.#runStream('AT+VRX');
  }

  async startTransmit(): Promise<void> {
    this.#stream = 'transmit';
    await this.#runStream('AT+VTX');
  }

  async startDuplex(): Promise<void> {
    this.#connection.parser.expectVoiceData();
    this.#stream = 'duplex';
    await this.#runStream('AT+VTR');
  }

  writeAudio(encoded: Uint8Array): Promise<void> {
    return this.#connection.write(dleEscape(encoded));
  }

  /**
   * Ends whatever stream runs and waits for the modem's OK. `discard` drops audio the modem
   * still buffers (a prompt cut short must stop now, not in 200 ms).
   */
  async stopStream(discard = false): Promise<void> {
    const mode = this.#stream;
    if (mode === 'none') return;
    this.#stream = 'none';
    const done = this.#engine.expectFinal(`end of voice ${mode} stream`);
    let control: Uint8Array;
    if (mode === 'transmit') {
      control = discard ? Uint8Array.of(DLE, CAN, DLE, ETX) : dleControl(ETX);
    } else {
      control = dleControl('!');
    }
    await this.#connection.write(control);
    try {
      await done;
    } finally {
      // Whether or not the modem closed the stream with <DLE><ETX>, we talk commands from now on.
      this.#connection.parser.commandMode();
    }
  }

  /** The modem ended a stream on its own (`<DLE><ETX>` we did not ask for). */
  streamEndedByModem(): void {
    this.#stream = 'none';
  }

  async hookFlash(): Promise<void> {
    await this.#engine.run(
      `AT+VTS=${this.profile.hookFlashTone}`,
      this.#options.commandTimeoutMs * 2,
    );
  }

  async dial(digits: string): Promise<void> {
    if (!/^[0-9*#A-D]+$/.test(digits))
      throw new ModemUnsupportedError(this.#options.device, `cannot dial "${digits}"`);
    await this.#engine.run(
      `AT+VTS=${[...digits].join(',')}`,
      this.#options.commandTimeoutMs + digits.length * 200,
    );
  }

  async onHook(): Promise<void> {
    await this.#engine.run('ATH0');
    await this.#engine.run('AT+VLS=0');
  }

  async #runStream(command: string): Promise<void> {
    try {
      const response = await this.#engine.run(command);
      if (response.result !== 'CONNECT') {
        throw new ModemUnsupportedError(
          this.#options.device,
          `answered ${response.resultLine} to ${command}`,
        );
      }
    } catch (error) {
      this.#stream = 'none';
      this.#connection.parser.commandMode();
      throw error;
    }
  }
}
