import { words } from '../speech/words.js';

/**
 * Which label's phrase occurs in the utterance as a whole-word sequence. The longest matching
 * phrase wins, so "repeat prescription" beats "repeat" when both are listed.
 */
export function matchPhrase(
  utterance: string,
  candidates: ReadonlyArray<{ label: string; phrases: readonly string[] }>,
): string | null {
  const heard = words(utterance);
  let best: { label: string; length: number } | null = null;
  for (const { label, phrases } of candidates) {
    for (const phrase of phrases) {
      const wanted = words(phrase);
      if (wanted.length === 0 || (best && wanted.length <= best.length)) continue;
      if (containsSequence(heard, wanted)) best = { label, length: wanted.length };
    }
  }
  return best?.label ?? null;
}

function containsSequence(haystack: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
