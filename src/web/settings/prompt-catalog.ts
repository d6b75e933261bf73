import { resolve, sep } from 'node:path';
import type { Flow, Text } from '../../ivr/flow-schema.js';
import { flowPrompts } from '../../prompts/flow-prompts.js';
import { recordingPath } from '../../prompts/prompt-library.js';

/** One prompt id in one language, with every text the flow can say under that id. */
export interface PromptEntry {
  id: string;
  language: string;
  /** A retry prompt has two texts (no input, no match); a recording replaces both. */
  texts: string[];
}

/** The prompts of the active flow and the emergency notice, grouped by id and language. */
export function promptEntries(flow: Flow, emergencyNotice: Text | null): PromptEntry[] {
  const entries = new Map<string, PromptEntry>();
  for (const prompt of flowPrompts(flow, emergencyNotice)) {
    const key = `${prompt.language}\u0000${prompt.id}`;
    const entry = entries.get(key) ?? { id: prompt.id, language: prompt.language, texts: [] };
    entry.texts.push(prompt.text);
    entries.set(key, entry);
  }
  return [...entries.values()];
}

/**
 * The entry a request names, or null. Ids and languages from a URL are only ever looked up in
 * this list, never used as given, so `../../etc/passwd` and its encodings find nothing.
 */
export function findEntry(
  entries: readonly PromptEntry[],
  language: string,
  id: string,
): PromptEntry | null {
  return entries.find((e) => e.language === language && e.id === id) ?? null;
}

/**
 * Where the upload for an entry lives. The entry's id and language come from the flow (ids are
 * `[a-z0-9-]` plus `:`), and the result is checked to stay inside `dir` all the same.
 */
export function uploadPath(dir: string, entry: PromptEntry): string {
  const root = resolve(dir);
  const file = resolve(recordingPath(root, entry.language, entry.id));
  if (!file.startsWith(`${root}${sep}`)) throw new Error(`prompt file ${file} is outside ${root}`);
  return file;
}
