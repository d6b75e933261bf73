import type { PcmFormat } from '../../audio/pcm-formats.js';
import { DEFAULT_HANDSET_CODES } from './voice-events.js';

export type ProfileName = 'usr-5637' | 'conexant' | 'generic-ulaw' | 'generic-alaw';

/**
 * What differs between voice modem families. Everything here is data so a technician can
 * override one field in config when a modem revision behaves differently.
 */
export interface ModemProfile {
  name: ProfileName;
  description: string;
  /** Tested against the identification text (ATI, ATI3, AT+GMI, AT+GMM joined by newlines). */
  identify: RegExp;
  /** AT+VSM argument: compression method and sample rate. */
  sampleMode: string;
  pcmFormat: PcmFormat;
  sampleRate: number;
  /** Commands after AT+FCLASS=8, e.g. silence detection (AT+VSD) or gains. */
  voiceSetup: string[];
  /** Caller-ID enable command (formatted fields), sent before the modem goes idle. */
  callerIdCommand: string;
  /** Whether AT+VTR (simultaneous play and record) works, which speech barge-in needs. */
  fullDuplex: boolean;
  /** `<DLE>` codes meaning a handset on the line changed hook state. */
  handsetCodes: readonly string[];
  /** Sent as `AT+VTS=<this>` to flash the hook for a PBX transfer. */
  hookFlashTone: string;
}

export const MODEM_PROFILES: Readonly<Record<ProfileName, ModemProfile>> = {
  'usr-5637': {
    name: 'usr-5637',
    description: 'US Robotics 5637 USB (8-bit linear, half duplex)',
    identify: /U\.?S\.? ?Robotics|USR|\b5637\b/i,
    sampleMode: '128,8000',
    pcmFormat: 'u8',
    sampleRate: 8000,
    voiceSetup: ['AT+VSD=128,50'],
    callerIdCommand: 'AT+VCID=1',
    fullDuplex: false,
    handsetCodes: DEFAULT_HANDSET_CODES,
    hookFlashTone: '!',
  },
  conexant: {
    name: 'conexant',
    description: 'Conexant CX930xx (Zoom 3095 and others; unsigned 8-bit PCM, full duplex)',
    identify: /Conexant|CX930\d\d|CX9310\d|Zoom/i,
    sampleMode: '1,8000',
    pcmFormat: 'u8',
    sampleRate: 8000,
    voiceSetup: ['AT+VSD=128,50'],
    callerIdCommand: 'AT+VCID=1',
    fullDuplex: true,
    handsetCodes: DEFAULT_HANDSET_CODES,
    hookFlashTone: '!',
  },
  'generic-ulaw': {
    name: 'generic-ulaw',
    description: 'Generic V.253 voice modem with G.711 mu-law (AT+VSM=4)',
    identify: /$^/,
    sampleMode: '4,8000',
    pcmFormat: 'ulaw',
    sampleRate: 8000,
    voiceSetup: [],
    callerIdCommand: 'AT+VCID=1',
    fullDuplex: false,
    handsetCodes: DEFAULT_HANDSET_CODES,
    hookFlashTone: '!',
  },
  'generic-alaw': {
    name: 'generic-alaw',
    description: 'Generic V.253 voice modem with G.711 A-law (AT+VSM=5)',
    identify: /$^/,
    sampleMode: '5,8000',
    pcmFormat: 'alaw',
    sampleRate: 8000,
    voiceSetup: [],
    callerIdCommand: 'AT+VCID=1',
    fullDuplex: false,
    handsetCodes: DEFAULT_HANDSET_CODES,
    hookFlashTone: '!',
  },
};

export const PROFILE_NAMES = Object.keys(MODEM_PROFILES) as ProfileName[];

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as string[]).includes(name);
}

/** The profile whose pattern matches the identification text; generic G.711 otherwise. */
export function profileForIdentity(identity: string): ModemProfile {
  for (const profile of Object.values(MODEM_PROFILES)) {
    if (profile.identify.test(identity)) return profile;
  }
  return MODEM_PROFILES['generic-ulaw'];
}

/**
 * AT+GCI country codes (ITU-T T.35) for chipsets that need the country set to decode that
 * country's caller-ID signalling (e.g. UK and Japan send it differently from the US).
 */
export const COUNTRY_CODES: Readonly<Record<string, string>> = {
  US: 'B5',
  CA: '20',
  GB: 'B4',
  DE: '04',
  FR: '3D',
  IT: '59',
  ES: 'A0',
  NL: '7B',
  AU: '09',
  NZ: '7E',
  JP: '00',
};
