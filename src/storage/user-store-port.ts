export type Role = 'admin' | 'staff';

/** An account of the admin page. The hash is a self-describing scrypt string. */
export interface WebUser {
  id: number;
  username: string;
  role: Role;
  passwordHash: string;
  createdAt: Date;
}

export interface NewWebUser {
  username: string;
  passwordHash: string;
  role: Role;
  nowMs: number;
}

/** Accounts of the admin page; disabled accounts are never returned. */
export interface UserStore {
  hasAdmin(): boolean;
  byName(username: string): WebUser | undefined;
  list(): WebUser[];
  /** Fails with a typed error when the name is taken. */
  create(user: NewWebUser): WebUser;
  /**
   * The first admin, in one transaction with "no admin exists yet" and the removal of the setup
   * code: two browsers racing through /setup cannot both create one. Undefined if one exists.
   */
  createFirstAdmin(user: Omit<NewWebUser, 'role'>): WebUser | undefined;
  /** The setup code's hash, or undefined once an admin exists. */
  setupCodeHash(): string | undefined;
  saveSetupCodeHash(hash: string, nowMs: number): void;
}
