import type { PcmFormat } from '../../../audio/pcm-formats.js';

/** How one modem family looks from the serial port, quirks included. */
export interface EmulatedModem {
  name: 'usr-5637' | 'conexant' | 'generic';
  /** Information lines per identification command; absent = the modem answers ERROR. */
  identity: Readonly<Record<string, readonly string[]>>;
  /** First AT+VSM parameter accepted, with the sample format it selects. */
  sampleModes: Readonly<Record<string, PcmFormat>>;
  fullDuplex: boolean;
  /** `NMBR = 555` (USR), `NMBR=555` (Conexant), or the raw message in hex. */
  callerIdStyle: 'spaced' | 'compact' | 'hex';
  /** Conexant brackets each digit: `<DLE>/<DLE>5<DLE>~`. */
  dtmfStyle: 'plain' | 'start-stop';
  /** The code this family sends when a handset on the line goes off hook. */
  handsetCode: string;
}

export const EMULATED_MODEMS: Readonly<Record<EmulatedModem['name'], EmulatedModem>> = {
  'usr-5637': {
    name: 'usr-5637',
    identity: {
      ATI: ['5601'],
      ATI3: ['U.S. Robotics 56K FAX USB V1.2.23'],
      'AT+GMI': ['U.S. Robotics'],
      'AT+GMM': ['USR5637'],
    },
    sampleModes: { '128': 'u8', '0': 'u8' },
    fullDuplex: false,
    callerIdStyle: 'spaced',
    dtmfStyle: 'plain',
    handsetCode: 'h',
  },
  conexant: {
    name: 'conexant',
    identity: {
      ATI: ['56000'],
      ATI3: ['CX93001-EIS_V0.2002-V92'],
      'AT+GMI': ['CONEXANT'],
      'AT+GMM': ['CX93001-EIS_V0.2002-V92'],
      'AT+GMR': ['CX93001-EIS_V0.2002-V92'],
    },
    sampleModes: { '0': 'u8', '1': 'u8', '4': 'ulaw', '5': 'alaw' },
    fullDuplex: true,
    callerIdStyle: 'compact',
    dtmfStyle: 'start-stop',
    handsetCode: 'P',
  },
  generic: {
    name: 'generic',
    identity: { ATI: ['Voice Modem 1.0'] },
    sampleModes: { '4': 'ulaw', '5': 'alaw' },
    fullDuplex: false,
    callerIdStyle: 'hex',
    dtmfStyle: 'plain',
    handsetCode: 'H',
  },
};
