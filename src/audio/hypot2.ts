/**
 * Math.hypot(a, b) without its heap allocation. V8 (Node 20) implements Math.hypot as a builtin
 * that allocates an array for its arguments on every call: the DTMF receiver's eight calls per
 * 5 ms were most of its garbage. This is V8's algorithm for two finite arguments (scale by the
 * larger magnitude, then a Kahan-compensated sum whose compensation is still zero after the
 * first term), so the result is bit-for-bit the same and no decision built on it changes.
 * NaN and infinities go to Math.hypot.
 */
export function hypot2(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (!(x < Number.POSITIVE_INFINITY && y < Number.POSITIVE_INFINITY)) return Math.hypot(a, b);
  const max = Math.max(x, y);
  if (max === 0) return 0;
  const n1 = x / max;
  const n2 = y / max;
  return Math.sqrt(n1 * n1 + n2 * n2) * max;
}
