import { ModemConfigError } from './modem-errors.js';
import {
  COUNTRY_CODES,
  isProfileName,
  type ModemProfile,
  type ProfileName,
} from './modem-profiles.js';

/** Settings of the voice-modem Line adapter (config `line.modem`). */
export interface ModemOptions {
  /** Stable path, e.g. /dev/serial/by-id/usb-Conexant_USB_Modem_24680246-if00. */
  device: string;
  baudRate: number;
  /** `auto` picks by ATI identification; a name forces that profile. */
  profile: 'auto' | ProfileName;
  /** Field-by-field overrides of the chosen profile for an odd modem revision. */
  profileOverrides: Partial<Omit<ModemProfile, 'name' | 'identify'>>;
  /** Answer on this ring (2 leaves time for caller ID, sent between rings 1 and 2); 0 = never. */
  answerOnRing: number;
  /** Country for AT+GCI (ISO 3166 alpha-2) on chipsets that need it for caller ID; '' = leave. */
  country: string;
  /** Extra AT commands sent after the profile's set-up, for local quirks. */
  extraInit: string[];
  /** How long one AT command may take before the modem counts as not answering. */
  commandTimeoutMs: number;
  /** No RING for this long means the caller gave up (or someone answered elsewhere). */
  ringGapMs: number;
  /** Idle watchdog: send AT this often; failure takes the line down and starts recovery. */
  watchdogIntervalMs: number;
  /**
   * In a call the modem streams received audio without pause (silence is samples too); none
   * for this long means it hung or vanished, and the call ends as a line fault. Catches a
   * modem lost while the appliance only listens, when no command would time out.
   */
  receiveSilenceMs: number;
  /** Reconnect backoff after unplug or a hung modem: first delay, doubling up to the max. */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** Audio is written this far ahead of real time so USB latency never starves the modem. */
  playLeadMs: number;
  /** A Conexant DTMF `<DLE>/` without its `<DLE>~` is released after this long. */
  dtmfStopTimeoutMs: number;
  /** Hook-flash transfer: how long to listen for busy after dialling the extension. */
  transferBusyWindowMs: number;
  /** When set, every byte received from the modem is appended here (for modem-replay). */
  capturePath?: string;
}

export const DEFAULT_MODEM_OPTIONS: Omit<ModemOptions, 'device'> = {
  baudRate: 115200,
  profile: 'auto',
  profileOverrides: {},
  answerOnRing: 2,
  country: '',
  extraInit: [],
  commandTimeoutMs: 2000,
  ringGapMs: 8000,
  watchdogIntervalMs: 30000,
  receiveSilenceMs: 5000,
  reconnectInitialMs: 1000,
  reconnectMaxMs: 30000,
  playLeadMs: 200,
  dtmfStopTimeoutMs: 500,
  transferBusyWindowMs: 4000,
};

const POSITIVE_KEYS = [
  'baudRate',
  'commandTimeoutMs',
  'ringGapMs',
  'watchdogIntervalMs',
  'receiveSilenceMs',
  'reconnectInitialMs',
  'reconnectMaxMs',
  'playLeadMs',
  'dtmfStopTimeoutMs',
  'transferBusyWindowMs',
] as const;

/** Fills defaults and rejects values the driver cannot work with, naming the config key. */
export function resolveModemOptions(
  input: Partial<ModemOptions> & { device: string },
): ModemOptions {
  const options: ModemOptions = { ...DEFAULT_MODEM_OPTIONS, ...input };
  if (options.device.trim() === '')
    throw new ModemConfigError('device', 'must name a serial device');
  for (const key of POSITIVE_KEYS) {
    const value = options[key];
    if (!Number.isFinite(value) || value <= 0) {
      throw new ModemConfigError(key, `must be a positive number, got ${String(value)}`);
    }
  }
  if (
    !Number.isInteger(options.answerOnRing) ||
    options.answerOnRing < 0 ||
    options.answerOnRing > 20
  ) {
    throw new ModemConfigError('answerOnRing', 'must be a whole number from 0 (never) to 20');
  }
  if (options.profile !== 'auto' && !isProfileName(options.profile)) {
    throw new ModemConfigError('profile', `unknown profile "${String(options.profile)}"`);
  }
  if (options.country !== '' && !(options.country.toUpperCase() in COUNTRY_CODES)) {
    throw new ModemConfigError(
      'country',
      `no caller-ID country setting known for "${options.country}"; known: ${Object.keys(COUNTRY_CODES).join(', ')}, or leave empty`,
    );
  }
  if (options.reconnectMaxMs < options.reconnectInitialMs) {
    throw new ModemConfigError('reconnectMaxMs', 'must not be smaller than reconnectInitialMs');
  }
  return options;
}
