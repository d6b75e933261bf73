import { parseDocument } from 'yaml';
import { SECRET_PATHS } from './boot-file-schema.js';

export const REDACTED = '(removed after it was applied)';

/**
 * The boot file as it stays on the FAT partition after it was applied: the same keys and
 * comments, every password replaced, and a note on how to provision again. The partition is
 * readable by anyone who holds the card, so secrets must not stay there.
 */
export function redactBootFile(text: string, appliedAt: Date): string {
  const doc = parseDocument(text);
  for (const path of SECRET_PATHS) {
    if (doc.hasIn(path)) doc.setIn(path, REDACTED);
  }
  const note = [
    ` Applied by linekeeper on ${appliedAt.toISOString()}; passwords removed.`,
    ' To apply settings again: fill in the passwords and rename this file to linekeeper.yaml.',
  ].join('\n');
  doc.commentBefore = doc.commentBefore ? `${note}\n${doc.commentBefore}` : note;
  return doc.toString();
}
