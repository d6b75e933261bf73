import type { Phrases, Text } from './flow-schema.js';

/**
 * Texts and phrases in a flow may be given once or per language. These helpers pick the one for
 * the caller's language, falling back to the flow's first language (checked flows cover every
 * language, so the fallback only matters for plain single texts).
 */
export function textFor(text: Text, language: string, fallback: string): string {
  if (typeof text === 'string') return text;
  return text[language] ?? text[fallback] ?? Object.values(text)[0]!;
}

export function phrasesFor(
  phrases: Phrases | undefined,
  language: string,
  fallback: string,
): string[] {
  if (!phrases) return [];
  if (Array.isArray(phrases)) return phrases;
  return phrases[language] ?? phrases[fallback] ?? [];
}

export function allPhrases(phrases: Phrases | undefined): string[] {
  if (!phrases) return [];
  return Array.isArray(phrases) ? phrases : Object.values(phrases).flat();
}

/** The languages a per-language value names, or null for a plain value. */
export function languagesOf(value: Text | Phrases): string[] | null {
  if (typeof value === 'string' || Array.isArray(value)) return null;
  return Object.keys(value);
}
