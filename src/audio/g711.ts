/**
 * ITU-T G.711 mu-law and A-law, bit-exact with the ITU reference implementation (G.191 STL,
 * `g711.c`). Encoding uses one's complement for negative samples, as the reference does, so a
 * round trip through another compliant codec gives the same bytes.
 *
 * Both directions are table lookups: decoding is a 256-entry table, encoding a 65 536-entry table
 * indexed by the 16-bit sample. Tables cost 2 x 64 KiB once and make the per-sample cost a single
 * load, which matters because every modem frame passes through here.
 */

function referenceMuLawEncode(sample: number): number {
  // 16-bit left-justified input; the reference works on the 14 most significant bits.
  // 33 is the bias that makes mu-law segment boundaries powers of two.
  let absno = sample < 0 ? (~sample >> 2) + 33 : (sample >> 2) + 33;
  if (absno > 0x1fff) absno = 0x1fff;
  let i = absno >> 6;
  let segno = 1;
  while (i !== 0) {
    segno++;
    i >>= 1;
  }
  const highNibble = 0x08 - segno;
  const lowNibble = 0x0f - ((absno >> segno) & 0x0f);
  let out = (highNibble << 4) | lowNibble;
  if (sample >= 0) out |= 0x80;
  return out;
}

function referenceMuLawDecode(byte: number): number {
  const sign = byte < 0x80 ? -1 : 1;
  const inverted = ~byte;
  const exponent = (inverted >> 4) & 0x07;
  const mantissa = inverted & 0x0f;
  const step = 4 << (exponent + 1);
  return sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33);
}

function referenceALawEncode(sample: number): number {
  // 16-bit left-justified input; the reference works on the 12 most significant bits + sign.
  let ix = sample < 0 ? ~sample >> 4 : sample >> 4;
  if (ix > 15) {
    let iexp = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      iexp++;
    }
    ix -= 16;
    ix += iexp << 4;
  }
  if (sample >= 0) ix |= 0x80;
  // Even bits are inverted on the wire so that silence is not a run of zero bits.
  return ix ^ 0x55;
}

function referenceALawDecode(byte: number): number {
  let ix = (byte ^ 0x55) & 0x7f;
  const iexp = ix >> 4;
  let mant = ix & 0x0f;
  if (iexp > 0) mant += 16;
  mant = (mant << 4) + 0x08;
  if (iexp > 1) mant <<= iexp - 1;
  ix = byte > 127 ? mant : -mant;
  return ix;
}

function buildDecodeTable(decode: (byte: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let b = 0; b < 256; b++) table[b] = decode(b);
  return table;
}

function buildEncodeTable(encode: (sample: number) => number): Uint8Array {
  const table = new Uint8Array(65536);
  for (let s = -32768; s < 32768; s++) table[s & 0xffff] = encode(s);
  return table;
}

/** Decoded 16-bit value for each mu-law byte. Exported for bulk codecs; do not modify. */
export const MU_LAW_DECODE_TABLE: Int16Array = buildDecodeTable(referenceMuLawDecode);
/** Decoded 16-bit value for each A-law byte. Exported for bulk codecs; do not modify. */
export const A_LAW_DECODE_TABLE: Int16Array = buildDecodeTable(referenceALawDecode);
/** mu-law byte for each 16-bit sample, indexed by `sample & 0xffff`. */
export const MU_LAW_ENCODE_TABLE: Uint8Array = buildEncodeTable(referenceMuLawEncode);
/** A-law byte for each 16-bit sample, indexed by `sample & 0xffff`. */
export const A_LAW_ENCODE_TABLE: Uint8Array = buildEncodeTable(referenceALawEncode);

/** Clamps to the 16-bit range first, so float or out-of-range input saturates like a codec. */
function toIndex(sample: number): number {
  const s = sample > 32767 ? 32767 : sample < -32768 ? -32768 : Math.round(sample);
  return s & 0xffff;
}

/** 16-bit linear sample (clamped) to one mu-law byte. */
export function muLawEncode(sample: number): number {
  return MU_LAW_ENCODE_TABLE[toIndex(sample)]!;
}

/** One mu-law byte (0..255) to a 16-bit linear sample. */
export function muLawDecode(byte: number): number {
  return MU_LAW_DECODE_TABLE[byte & 0xff]!;
}

/** 16-bit linear sample (clamped) to one A-law byte. */
export function aLawEncode(sample: number): number {
  return A_LAW_ENCODE_TABLE[toIndex(sample)]!;
}

/** One A-law byte (0..255) to a 16-bit linear sample. */
export function aLawDecode(byte: number): number {
  return A_LAW_DECODE_TABLE[byte & 0xff]!;
}
