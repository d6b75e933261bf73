import { StorageError } from '../storage-errors.js';
import type { NewWebUser, Role, UserStore, WebUser } from '../user-store-port.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  created_at: number;
}

/** Admin-page accounts in the `users` table, and the first-run setup code that creates one. */
export class SqliteUserStore implements UserStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  hasAdmin(): boolean {
    return this.#db.read('checking for an admin account', (db) =>
      Boolean(db.prepare("SELECT 1 FROM users WHERE role = 'admin' AND disabled_at IS NULL").get()),
    );
  }

  byName(username: string): WebUser | undefined {
    const row = this.#db.read(`reading user ${username}`, (db) =>
      db.prepare('SELECT * FROM users WHERE username = ? AND disabled_at IS NULL').get(username),
    ) as UserRow | undefined;
    return row ? toUser(row) : undefined;
  }

  list(): WebUser[] {
    const rows = this.#db.read(
      'listing users',
      (db) =>
        db
          .prepare('SELECT * FROM users WHERE disabled_at IS NULL ORDER BY username')
          .all() as UserRow[],
    );
    return rows.map(toUser);
  }

  create(user: NewWebUser): WebUser {
    return this.#db.write(`creating user ${user.username}`, (db) => {
      if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(user.username)) {
        throw new StorageError(
          'USER_EXISTS',
          `a user named "${user.username}" already exists; choose another name`,
        );
      }
      return insert(db, user);
    });
  }

  createFirstAdmin(user: Omit<NewWebUser, 'role'>): WebUser | undefined {
    return this.#db.write('creating the first admin', (db) => {
      if (db.prepare("SELECT 1 FROM users WHERE role = 'admin'").get()) return undefined;
      const created = insert(db, { ...user, role: 'admin' });
      db.prepare('DELETE FROM web_setup_code').run();
      return created;
    });
  }

  setupCodeHash(): string | undefined {
    const row = this.#db.read('reading the setup code', (db) =>
      db.prepare('SELECT code_hash FROM web_setup_code WHERE id = 1').get(),
    ) as { code_hash: string } | undefined;
    return row?.code_hash;
  }

  saveSetupCodeHash(hash: string, nowMs: number): void {
    this.#db.write('saving the setup code', (db) =>
      db
        .prepare(
          `INSERT INTO web_setup_code (id, code_hash, created_at) VALUES (1, ?, ?)
           ON CONFLICT (id) DO UPDATE SET code_hash = excluded.code_hash,
             created_at = excluded.created_at`,
        )
        .run(hash, nowMs),
    );
  }
}

function insert(db: import('better-sqlite3').Database, user: NewWebUser): WebUser {
  const result = db
    .prepare('INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)')
    .run(user.username, user.passwordHash, user.role, user.nowMs);
  return {
    id: Number(result.lastInsertRowid),
    username: user.username,
    role: user.role,
    passwordHash: user.passwordHash,
    createdAt: new Date(user.nowMs),
  };
}

export function toUser(row: UserRow): WebUser {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: new Date(row.created_at),
  };
}
