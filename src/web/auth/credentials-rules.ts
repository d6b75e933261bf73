/** Rules for new accounts, shared by /setup and /users; each answer says what to change. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{1,32}$/;

/** Stable codes: the audit log records the code, the page shows it in the reader's language. */
export type CredentialProblem =
  | 'username-format'
  | 'password-short'
  | 'password-long'
  | 'password-mismatch';

export function usernameProblem(username: string): CredentialProblem | null {
  return USERNAME_PATTERN.test(username) ? null : 'username-format';
}

export function passwordProblem(password: string, again: string): CredentialProblem | null {
  if (password.length < 12) return 'password-short';
  if (password.length > 256) return 'password-long';
  if (password !== again) return 'password-mismatch';
  return null;
}
