/**
 * Why a file the admin page writes (a flow, the settings, a prompt recording) could not be
 * written. The pages answer with a message of their own instead of a bare 500, keep what the
 * admin typed, and say that nothing changed: every write is atomic, so the version in effect
 * stays whole.
 */
export type WriteFailureKind = 'disk-full' | 'unwritable' | 'failed';

export interface WriteFailure {
  kind: WriteFailureKind;
  /** 507 Insufficient Storage for a full disk (RFC 4918), else 500. */
  status: 507 | 500;
  /** The system's words, for the audit log and the technician (e.g. "ENOSPC: no space left"). */
  detail: string;
}

const FULL = new Set(['ENOSPC', 'EDQUOT']);
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR']);

/** The failure of a file-system call, or null for any other error (a bug: let it surface). */
export function writeFailure(error: unknown): WriteFailure | null {
  const { code, syscall, message } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof syscall !== 'string') return null;
  const detail = String(message).split('\n')[0] ?? code;
  if (FULL.has(code)) return { kind: 'disk-full', status: 507, detail };
  if (UNWRITABLE.has(code)) return { kind: 'unwritable', status: 500, detail };
  return { kind: 'failed', status: 500, detail };
}
