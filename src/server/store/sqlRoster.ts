// Rosters on SQL: one row per (user, contact) with its subscription state, a version per user that
// every change to a listed item moves (XEP-0237), and when each user was last online (XEP-0012).
import type { RosterItemRecord, RosterStore, RosterSubscription } from './chatStore';
import type { SqlDriver } from './driver';

interface RosterRow {
  contact_id: number;
  name: string | null;
  groups: string;
  subscription: RosterSubscription;
  ask_out: number;
  pending_in: number;
  listed: number;
}

export class SqlRoster implements RosterStore {
  constructor(
    private readonly db: SqlDriver,
    private readonly now: () => number,
  ) {}

  rosterVersion(userId: number): number {
    return this.db.prepare('SELECT version FROM roster_versions WHERE user_id = ?').get<{ version: number }>([userId])?.version ?? 0;
  }

  listRoster(userId: number): RosterItemRecord[] {
    return this.db
      .prepare('SELECT * FROM roster_items WHERE user_id = ? AND listed = 1 ORDER BY contact_id')
      .all<RosterRow>([userId])
      .map(toItem);
  }

  pendingSubscribers(userId: number): number[] {
    return this.db
      .prepare('SELECT contact_id FROM roster_items WHERE user_id = ? AND pending_in = 1 ORDER BY pending_since, contact_id')
      .all<{ contact_id: number }>([userId])
      .map((row) => row.contact_id);
  }

  getRosterItem(userId: number, contactId: number): RosterItemRecord | undefined {
    const row = this.db.prepare('SELECT * FROM roster_items WHERE user_id = ? AND contact_id = ?').get<RosterRow>([userId, contactId]);
    return row && toItem(row);
  }

  putRosterItem(userId: number, item: RosterItemRecord): number {
    return this.db.transaction(() => {
      const before = this.getRosterItem(userId, item.contactId);
      this.db
        .prepare(
          `INSERT INTO roster_items (user_id, contact_id, name, groups, subscription, ask_out, pending_in, pending_since, listed)
           VALUES (:user, :contact, :name, :groups, :subscription, :ask, :pending, :since, :listed)
           ON CONFLICT (user_id, contact_id) DO UPDATE SET
             name = excluded.name, groups = excluded.groups, subscription = excluded.subscription,
             ask_out = excluded.ask_out, pending_in = excluded.pending_in, listed = excluded.listed,
             -- a request keeps its place in the queue while it stays pending
             pending_since = CASE WHEN excluded.pending_in = 1 THEN COALESCE(roster_items.pending_since, excluded.pending_since) END`,
        )
        .run({
          ':user': userId,
          ':contact': item.contactId,
          ':name': item.name,
          ':groups': JSON.stringify(item.groups),
          ':subscription': item.subscription,
          ':ask': item.askOut ? 1 : 0,
          ':pending': item.pendingIn ? 1 : 0,
          ':since': item.pendingIn ? this.now() : null,
          ':listed': item.listed ? 1 : 0,
        });
      return before?.listed || item.listed ? this.bumpVersion(userId) : this.rosterVersion(userId);
    });
  }

  deleteRosterItem(userId: number, contactId: number): number {
    return this.db.transaction(() => {
      const before = this.getRosterItem(userId, contactId);
      this.db.prepare('DELETE FROM roster_items WHERE user_id = ? AND contact_id = ?').run([userId, contactId]);
      return before?.listed ? this.bumpVersion(userId) : this.rosterVersion(userId);
    });
  }

  recordLastSeen(userId: number, at: number): void {
    this.db
      .prepare('INSERT INTO last_seen (user_id, seen_at) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET seen_at = excluded.seen_at')
      .run([userId, at]);
  }

  lastSeen(userId: number): number | undefined {
    return this.db.prepare('SELECT seen_at FROM last_seen WHERE user_id = ?').get<{ seen_at: number }>([userId])?.seen_at;
  }

  private bumpVersion(userId: number): number {
    this.db
      .prepare('INSERT INTO roster_versions (user_id, version) VALUES (?, 1) ON CONFLICT (user_id) DO UPDATE SET version = version + 1')
      .run([userId]);
    return this.rosterVersion(userId);
  }
}

function toItem(row: RosterRow): RosterItemRecord {
  const groups: unknown = JSON.parse(row.groups);
  return {
    contactId: row.contact_id,
    name: row.name,
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
    subscription: row.subscription,
    askOut: row.ask_out === 1,
    pendingIn: row.pending_in === 1,
    listed: row.listed === 1,
  };
}
