/**
 * Call-progress tones per country (ITU-T E.180 Supplement 2 and national specs). `cadenceMs` is
 * on/off pairs repeating; an empty cadence is a continuous tone. Only what the appliance needs:
 * dial tone (line is free / far end gone and exchange reset), busy and reorder/congestion (the
 * far end hung up or the call failed), ringback (transfer is ringing).
 */
export type CallProgressTone = 'dial' | 'busy' | 'reorder' | 'ringback';

export interface ToneDefinition {
  tone: CallProgressTone;
  frequencies: number[];
  cadenceMs: number[];
}

export type Country = 'us' | 'uk' | 'de' | 'eu' | 'es';

export const COUNTRIES: readonly Country[] = ['us', 'uk', 'de', 'eu', 'es'];

const CEPT_425 = (busy: number[], reorder: number[], ring: number[]): ToneDefinition[] => [
  { tone: 'dial', frequencies: [425], cadenceMs: [] },
  { tone: 'busy', frequencies: [425], cadenceMs: busy },
  { tone: 'reorder', frequencies: [425], cadenceMs: reorder },
  { tone: 'ringback', frequencies: [425], cadenceMs: ring },
];

export const CALL_PROGRESS_PRESETS: Readonly<Record<Country, ToneDefinition[]>> = {
  // North America: precise tone plan (ANSI T1.401).
  us: [
    { tone: 'dial', frequencies: [350, 440], cadenceMs: [] },
    { tone: 'busy', frequencies: [480, 620], cadenceMs: [500, 500] },
    { tone: 'reorder', frequencies: [480, 620], cadenceMs: [250, 250] },
    { tone: 'ringback', frequencies: [440, 480], cadenceMs: [2000, 4000] },
  ],
  // BT SIN 350.
  uk: [
    { tone: 'dial', frequencies: [350, 450], cadenceMs: [] },
    { tone: 'busy', frequencies: [400], cadenceMs: [375, 375] },
    { tone: 'reorder', frequencies: [400], cadenceMs: [400, 350, 225, 525] },
    { tone: 'ringback', frequencies: [400, 450], cadenceMs: [400, 200, 400, 2000] },
  ],
  // Deutsche Telekom 1TR110.
  de: CEPT_425([480, 480], [240, 240], [1000, 4000]),
  // CEPT recommendation (ETSI TR 101 041): what most of Europe uses.
  eu: CEPT_425([500, 500], [250, 250], [1000, 4000]),
  // Telefonica Spain.
  es: CEPT_425([200, 200], [200, 200, 200, 200, 200, 600], [1500, 3000]),
};
