// Offline message storage (XEP-0160) on SQL: a queue per user in arrival order. Counting and
// inserting share a transaction so two senders cannot both take the last free place.
import type { OfflineRecord, OfflineStore } from './chatStore';
import type { SqlDriver } from './driver';

export class SqlOffline implements OfflineStore {
  constructor(
    private readonly db: SqlDriver,
    private readonly now: () => number,
  ) {}

  queueOffline(userId: number, stanza: string, limit: number): boolean {
    return this.db.transaction(() => {
      const queued = this.db.prepare('SELECT count(*) AS n FROM offline_messages WHERE user_id = ?').get<{ n: number }>([userId])?.n ?? 0;
      if (queued >= limit) return false;
      this.db.prepare('INSERT INTO offline_messages (user_id, stanza, queued_at) VALUES (?, ?, ?)').run([userId, stanza, this.now()]);
      return true;
    });
  }

  takeOffline(userId: number): OfflineRecord[] {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare('SELECT stanza, queued_at FROM offline_messages WHERE user_id = ? ORDER BY id')
        .all<{ stanza: string; queued_at: number }>([userId]);
      if (rows.length > 0) this.db.prepare('DELETE FROM offline_messages WHERE user_id = ?').run([userId]);
      return rows.map((row) => ({ stanza: row.stanza, queuedAt: row.queued_at }));
    });
  }
}
