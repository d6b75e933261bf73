/**
 * The two FSK caller-ID physical layers in use on analogue lines. Both are 1200 baud,
 * asynchronous (start bit 0, eight data bits LSB first, stop bit 1), preceded by a channel
 * seizure (alternating bits) and a mark signal (steady 1s). They differ in the tone pair.
 */
export type FskStandardName = 'bell202' | 'v23';

export const FSK_STANDARD_NAMES: readonly FskStandardName[] = ['bell202', 'v23'];

export interface FskStandard {
  name: FskStandardName;
  /** Binary 1 (and the idle/mark signal). */
  markHz: number;
  /** Binary 0. */
  spaceHz: number;
  baud: number;
  /** What a compliant sender transmits before the message, in bits. */
  seizureBits: number;
  markBits: number;
  description: string;
}

export const FSK_STANDARDS: Readonly<Record<FskStandardName, FskStandard>> = {
  // Telcordia GR-30-CORE: 300 bits of seizure, 180 bits of mark.
  bell202: {
    name: 'bell202',
    markHz: 1200,
    spaceHz: 2200,
    baud: 1200,
    seizureBits: 300,
    markBits: 180,
    description: 'Bell 202 (North America, Telcordia GR-30)',
  },
  // ETSI EN 300 659-1 / BT SIN 227: seizure 96-315 bits, mark 55 +/- 25 bits (80 +/- 25 in
  // some national variants); the mid values are used when generating.
  v23: {
    name: 'v23',
    markHz: 1300,
    spaceHz: 2100,
    baud: 1200,
    seizureBits: 96,
    markBits: 80,
    description: 'ITU-T V.23 (UK and Europe, ETSI EN 300 659 / BT SIN 227)',
  },
};

export function isFskStandardName(value: string): value is FskStandardName {
  return (FSK_STANDARD_NAMES as readonly string[]).includes(value);
}
