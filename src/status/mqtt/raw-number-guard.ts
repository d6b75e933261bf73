/**
 * Last line of defence before a payload leaves the box. The ports carry pseudonymous callers
 * only, so a hit here is a bug upstream: the adapter refuses the whole payload rather than
 * trying to repair it, and says where the number was.
 */

/** Fewer digits than this is a menu choice, a hint or a count, not a dialable number. */
const MIN_DIGITS = 7;

// A digit run of MIN_DIGITS or more, optionally led by `+`, with at most two separator
// characters between digits (`+44 20 7946 0958`, `(020) 7946-0958`, `555.123.4567`). It must
// not touch a letter, digit, `_` or `-` on either side: hex hashes, UUID groups and ids like
// `call-1712345678901` are machine identifiers, not numbers a person dials.
const PHONE_LIKE = new RegExp(
  String.raw`(?<![\w-])\+?\(?\d(?:[\s().\/-]{0,2}\d){${MIN_DIGITS - 1},}(?![\w-])`,
  'gu',
);
/** E.164: no phone number has more digits than this; a longer run is an id or a hash. */
const MAX_DIGITS = 15;

// Shapes that contain long digit runs but are not phone numbers; blanked before the scan.
const HARMLESS = [
  // ISO 8601 date, optionally with time and zone: 2025-03-01, 2025-03-01T09:30:00.000Z
  /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g,
  // Clock time: 09:30:00
  /\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\b/g,
  // IPv4 address (with optional port): 192.168.100.200:1883
  /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g,
  // Dotted version: 1.22.333 or 2.0.11 (at most 3 digits a part, so 555.123.4567 stays)
  /\bv?\d{1,3}\.\d{1,3}\.\d{1,3}(?:[-+][\w.]+)?\b/g,
];

// Keys that by their name hold a raw number, whatever their value looks like.
const NUMBER_KEYS = /^(?:phone|phoneNumber|number|callerNumber|callerId|msisdn|tel|cli|ani)$/i;

export interface RawNumberFinding {
  /** Dotted path of the offending field, e.g. `caller.hint` or `choices[2].option`. */
  path: string;
  reason: string;
}

/** Returns where a raw phone number appears in `value`, or null when there is none. */
export function findRawNumber(value: unknown, path = ''): RawNumberFinding | null {
  if (typeof value === 'string') return scanString(value, path);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const hit = findRawNumber(item, `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const where = path === '' ? key : `${path}.${key}`;
      if (NUMBER_KEYS.test(key) && item !== null && item !== undefined && item !== '') {
        return { path: where, reason: `field "${key}" is named as a raw phone number` };
      }
      const hit = findRawNumber(item, where);
      if (hit) return hit;
    }
  }
  // Numbers (durations, counters, epoch ms) and booleans are not scanned: a caller's number
  // never reaches a payload as a JS number because leading zeros and `+` would be lost.
  return null;
}

function scanString(text: string, path: string): RawNumberFinding | null {
  // Most strings (ids, states, option names) have too few digits to hold a number at all.
  let digits = 0;
  for (let i = 0; i < text.length && digits < MIN_DIGITS; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += 1;
  }
  if (digits < MIN_DIGITS) return null;
  let cleaned = text;
  for (const shape of HARMLESS) cleaned = cleaned.replace(shape, (m) => ' '.repeat(m.length));
  for (const match of cleaned.matchAll(PHONE_LIKE)) {
    const run = match[0].replace(/\D/g, '').length;
    if (run > MAX_DIGITS) continue;
    return {
      path: path === '' ? '(value)' : path,
      reason: `contains a ${run}-digit run that looks like a phone number`,
    };
  }
  return null;
}
