/**
 * Telephone levels. By ITU-T G.711 a full-scale sine is +3.14 dBm0 (A-law; mu-law +3.17), so a
 * 0 dBm0 sine has a peak of 32768 * 10^(-3.14/20) in 16-bit linear. All level figures in the
 * DTMF and tone specs are per tone in dBm0.
 */
export const DBM0_FULL_SCALE_SINE = 3.14;

/** Peak 16-bit amplitude of a sine at `dbm0`. */
export function dbm0ToPeak(dbm0: number): number {
  return 32768 * 10 ** ((dbm0 - DBM0_FULL_SCALE_SINE) / 20);
}

/** Level in dBm0 of a sine with the given 16-bit peak amplitude. */
export function peakToDbm0(peak: number): number {
  return 20 * Math.log10(Math.max(peak, 1e-9) / 32768) + DBM0_FULL_SCALE_SINE;
}

/** Level in dBm0 of a signal with the given mean square (power) in 16-bit units. */
export function powerToDbm0(meanSquare: number): number {
  return peakToDbm0(Math.sqrt(2 * Math.max(meanSquare, 1e-18)));
}
