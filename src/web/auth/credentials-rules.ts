/** Rules for new accounts, shared by /setup and /users; each answer says what to change. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{1,32}$/;

export function usernameProblem(username: string): string | null {
  return USERNAME_PATTERN.test(username)
    ? null
    : 'User name: 1 to 32 letters, digits, dots, dashes or underscores.';
}

export function passwordProblem(password: string, again: string): string | null {
  if (password.length < 12) return 'Password: at least 12 characters.';
  if (password.length > 256) return 'Password: at most 256 characters.';
  if (password !== again) return 'The two passwords differ; type the same password twice.';
  return null;
}
