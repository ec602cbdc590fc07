// Privacy lists (XEP-0016) on SQL. Every 1:1 message asks for the recipient's and the sender's
// lists, so each user's lists are read once and cached; this class is their only writer, which
// keeps the cache exact.
import type { PrivacyItemRecord, PrivacyStore } from './chatStore';
import type { SqlDriver } from './driver';

interface UserLists {
  lists: Map<string, PrivacyItemRecord[]>;
  defaultName: string | undefined;
}

export class SqlPrivacy implements PrivacyStore {
  private readonly cache = new Map<number, UserLists>();

  constructor(private readonly db: SqlDriver) {}

  privacyListNames(userId: number): string[] {
    return [...this.load(userId).lists.keys()];
  }

  getPrivacyList(userId: number, name: string): PrivacyItemRecord[] | undefined {
    return this.load(userId).lists.get(name);
  }

  putPrivacyList(userId: number, name: string, items: PrivacyItemRecord[]): void {
    const sorted = [...items].sort((a, b) => a.order - b.order);
    this.db
      .prepare('INSERT INTO privacy_lists (user_id, name, items) VALUES (?, ?, ?) ON CONFLICT (user_id, name) DO UPDATE SET items = excluded.items')
      .run([userId, name, JSON.stringify(sorted)]);
    this.load(userId).lists.set(name, sorted);
  }

  deletePrivacyList(userId: number, name: string): boolean {
    const user = this.load(userId);
    if (!user.lists.has(name)) return false;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM privacy_lists WHERE user_id = ? AND name = ?').run([userId, name]);
      this.db.prepare('DELETE FROM privacy_defaults WHERE user_id = ? AND name = ?').run([userId, name]);
    });
    user.lists.delete(name);
    if (user.defaultName === name) user.defaultName = undefined;
    return true;
  }

  defaultPrivacyList(userId: number): string | undefined {
    return this.load(userId).defaultName;
  }

  setDefaultPrivacyList(userId: number, name: string | undefined): void {
    const user = this.load(userId);
    if (name !== undefined && !user.lists.has(name)) throw new Error(`No privacy list ${name}`);
    if (name === undefined) this.db.prepare('DELETE FROM privacy_defaults WHERE user_id = ?').run([userId]);
    else
      this.db
        .prepare('INSERT INTO privacy_defaults (user_id, name) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET name = excluded.name')
        .run([userId, name]);
    user.defaultName = name;
  }

  private load(userId: number): UserLists {
    let user = this.cache.get(userId);
    if (!user) {
      const rows = this.db.prepare('SELECT name, items FROM privacy_lists WHERE user_id = ?').all<{ name: string; items: string }>([userId]);
      const defaultRow = this.db.prepare('SELECT name FROM privacy_defaults WHERE user_id = ?').get<{ name: string }>([userId]);
      user = {
        lists: new Map(rows.map((row) => [row.name, JSON.parse(row.items) as PrivacyItemRecord[]])),
        defaultName: defaultRow?.name,
      };
      this.cache.set(userId, user);
    }
    return user;
  }
}
