import type { Locale } from './locale.js';

/**
 * One page's words in every UI language, side by side in one file, so a page and its
 * translations change together. `en` fixes the shape; the compiler refuses a catalogue where
 * German or Spanish lacks a key. Values are plain strings or functions for sentences with
 * numbers or names in them.
 */
export type Catalog<T> = Readonly<Record<Locale, T>>;

export function defineCatalog<T>(catalog: { en: T; de: NoInfer<T>; es: NoInfer<T> }): Catalog<T> {
  return catalog;
}
