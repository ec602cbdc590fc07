// Users on SQL: accounts with salted password hashes, unique login / email / external id / facebook id,
// and the filtered, ordered list behind GET /users.json.
import {
  StoreConflictError,
  type NewUser,
  type UniqueUserField,
  type UserChanges,
  type UserField,
  type UserQuery,
  type UserRecord,
  type UserStore,
} from './chatStore';
import type { SqlDriver, SqlValue } from './driver';
import { checkPassword, hashPassword } from './passwords';

interface UserRow {
  id: number;
  login: string | null;
  email: string | null;
  full_name: string | null;
  phone: string | null;
  website: string | null;
  external_user_id: number | null;
  facebook_id: string | null;
  blob_id: number | null;
  custom_data: string | null;
  tags: string | null;
  password_hash: string;
  created_at: number;
  updated_at: number;
  last_request_at: number | null;
}

// Whitelists: user input picks an entry, never writes SQL.
const USER_COLUMNS: Record<UserField, string> = {
  id: 'id',
  login: 'login',
  email: 'email',
  full_name: 'full_name',
  phone: 'phone',
  website: 'website',
  external_user_id: 'external_user_id',
  created_at: 'created_at',
  updated_at: 'updated_at',
  last_request_at: 'last_request_at',
};

const COMPARISONS = { gt: '>', lt: '<', ge: '>=', le: '<=', eq: '=', ne: '!=' } as const;

/** Column of each changeable field, in UserChanges' terms. */
const CHANGE_COLUMNS: Record<Exclude<keyof UserChanges, 'password'>, string> = {
  login: 'login',
  email: 'email',
  fullName: 'full_name',
  phone: 'phone',
  website: 'website',
  externalUserId: 'external_user_id',
  facebookId: 'facebook_id',
  blobId: 'blob_id',
  customData: 'custom_data',
  tags: 'tags',
};

export class SqlUsers implements UserStore {
  constructor(
    private readonly db: SqlDriver,
    private readonly now: () => number,
  ) {}

  createUser(input: NewUser): UserRecord {
    // Hashing is slow on purpose, so it happens before the write transaction opens.
    const passwordHash = hashPassword(input.password);
    return this.db.transaction(() => {
      this.checkUnique(undefined, {
        login: input.login,
        email: input.email,
        external_user_id: input.externalUserId,
        facebook_id: input.facebookId,
      });
      const now = this.now();
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO users (login, email, full_name, phone, website, external_user_id, facebook_id, blob_id, custom_data, tags,
             password_hash, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run([
          input.login ?? null,
          input.email ?? null,
          input.fullName ?? null,
          input.phone ?? null,
          input.website ?? null,
          input.externalUserId ?? null,
          input.facebookId ?? null,
          input.blobId ?? null,
          input.customData ?? null,
          input.tags ?? null,
          passwordHash,
          now,
          now,
        ]);
      return this.requireUser(lastInsertRowid);
    });
  }

  getUser(id: number): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get<UserRow>([id]);
    return row && toUser(row);
  }

  findUserByLogin(login: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE login = ?').get<UserRow>([login]);
    return row && toUser(row);
  }

  findUserByEmail(email: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE email = ?').get<UserRow>([email]);
    return row && toUser(row);
  }

  findUserBy(field: 'facebook_id' | 'external_user_id' | 'phone', value: string | number): UserRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM users WHERE ${field} = ? ORDER BY id LIMIT 1`).get<UserRow>([value]);
    return row && toUser(row);
  }

  async verifyPassword(userId: number, password: string): Promise<boolean> {
    const row = this.db.prepare('SELECT password_hash FROM users WHERE id = ?').get<{ password_hash: string }>([userId]);
    return row !== undefined && (await checkPassword(password, row.password_hash));
  }

  countUsers(): number {
    return this.db.prepare('SELECT count(*) AS n FROM users').get<{ n: number }>()?.n ?? 0;
  }

  listUsers(query: UserQuery): { total: number; items: UserRecord[] } {
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    for (const filter of query.filters ?? []) {
      const column = USER_COLUMNS[filter.field];
      if (filter.operator === 'in') {
        conditions.push(`${column} IN (SELECT value FROM json_each(?))`);
        params.push(JSON.stringify(filter.values));
      } else if (filter.operator === 'between') {
        conditions.push(`${column} BETWEEN ? AND ?`);
        params.push(filter.values[0] ?? null, filter.values[1] ?? null);
      } else {
        conditions.push(`${column} ${COMPARISONS[filter.operator]} ?`);
        params.push(filter.values[0] ?? null);
      }
    }
    if (query.fullNameContains !== undefined) {
      conditions.push('instr(lower(full_name), lower(?)) > 0');
      params.push(query.fullNameContains);
    }
    if (query.anyTags) {
      // Tags are stored comma-joined without spaces: a user matches when `,<tag>,` occurs in `,<tags>,`.
      conditions.push(`EXISTS (SELECT 1 FROM json_each(?) q WHERE instr(',' || lower(tags) || ',', ',' || lower(q.value) || ',') > 0)`);
      params.push(JSON.stringify(query.anyTags));
    }
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const direction = query.sortAscending === false ? 'DESC' : 'ASC';
    const order = `ORDER BY ${USER_COLUMNS[query.sortField ?? 'id']} ${direction}, id ${direction}`;
    const total = this.db.prepare(`SELECT count(*) AS n FROM users ${where}`).get<{ n: number }>(params)?.n ?? 0;
    const rows = this.db.prepare(`SELECT * FROM users ${where} ${order} LIMIT ? OFFSET ?`).all<UserRow>([...params, query.limit, query.skip]);
    return { total, items: rows.map(toUser) };
  }

  updateUser(id: number, changes: UserChanges): UserRecord {
    const passwordHash = changes.password === undefined ? undefined : hashPassword(changes.password);
    return this.db.transaction(() => {
      this.checkUnique(id, {
        login: changes.login ?? undefined,
        email: changes.email ?? undefined,
        external_user_id: changes.externalUserId ?? undefined,
        facebook_id: changes.facebookId ?? undefined,
      });
      const sets: string[] = ['updated_at = ?'];
      const params: SqlValue[] = [this.now()];
      for (const [key, column] of Object.entries(CHANGE_COLUMNS) as Array<[keyof typeof CHANGE_COLUMNS, string]>) {
        const value = changes[key];
        if (value === undefined) continue;
        sets.push(`${column} = ?`);
        params.push(value);
      }
      if (passwordHash !== undefined) {
        sets.push('password_hash = ?');
        params.push(passwordHash);
      }
      this.db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run([...params, id]);
      return this.requireUser(id);
    });
  }

  deleteUser(id: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run([id]);
      this.db.prepare('DELETE FROM users WHERE id = ?').run([id]);
    });
  }

  /** Throws for the first given unique value another user (not `self`) already has. */
  private checkUnique(self: number | undefined, values: Record<UniqueUserField, string | number | undefined>): void {
    for (const [field, value] of Object.entries(values) as Array<[UniqueUserField, string | number | undefined]>) {
      if (value === undefined) continue;
      // login and email are NOCASE columns, so "ALICE" clashes with "alice" as it would in the cloud.
      const row = this.db.prepare(`SELECT id FROM users WHERE ${field} = ? AND id IS NOT ?`).get<{ id: number }>([value, self ?? null]);
      if (row) throw new StoreConflictError(field);
    }
  }

  private requireUser(id: number): UserRecord {
    const user = this.getUser(id);
    if (!user) throw new Error(`Expected user ${id} to exist right after writing it`);
    return user;
  }
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    login: row.login,
    email: row.email,
    fullName: row.full_name,
    phone: row.phone,
    website: row.website,
    externalUserId: row.external_user_id,
    facebookId: row.facebook_id,
    blobId: row.blob_id,
    customData: row.custom_data,
    tags: row.tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastRequestAt: row.last_request_at,
  };
}
