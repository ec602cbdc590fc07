// Sessions on SQL: random tokens with a sliding expiry, and the nonces already used to open one.
import { randomBytes } from 'node:crypto';
import type { SessionRecord, SessionStore } from './chatStore';
import type { SqlDriver } from './driver';

interface SessionRow {
  id: number;
  token: string;
  app_id: number;
  user_id: number;
  nonce: number;
  ts: number;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

// Nonces are remembered a little longer than the ±60 min timestamp window, after which a replay
// is rejected for its timestamp anyway.
const NONCE_MEMORY_SECONDS = 2 * 60 * 60;

/** A session's expiry slides in steps of this share of its lifetime: a minute of the 2-hour one. */
const SLIDE_STEP = 1 / 120;

/** Bounds the cache of sessions; at this size it is simply emptied (a refill costs one read per token). */
const CACHE_LIMIT = 10_000;

export class SqlSessions implements SessionStore {
  /**
   * Sessions by token, as stored: every authenticated request looks its token up, and that read costs
   * more than the rest of a cached answer. Exact because sessions are written only here and by
   * deleteUser (which calls forgetUser); a rollback anywhere empties it. An expired session stays
   * refused: the expiry is checked on every use, as it is on a read.
   */
  private readonly byToken = new Map<string, SessionRecord>();

  constructor(
    private readonly db: SqlDriver,
    private readonly now: () => number,
  ) {
    db.onRollback(() => this.byToken.clear());
  }

  createSession(appId: number, userId: number, nonce: number, ts: number, ttlMs: number): SessionRecord {
    return this.db.transaction(() => {
      const now = this.now();
      // Housekeeping rides on session creation, so no timer is needed to keep the table small.
      this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run([now]);
      const token = randomBytes(20).toString('hex');
      this.db
        .prepare(
          `INSERT INTO sessions (token, app_id, user_id, nonce, ts, created_at, updated_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run([token, appId, userId, nonce, ts, now, now, now + ttlMs]);
      const row = this.db.prepare('SELECT * FROM sessions WHERE token = ?').get<SessionRow>([token]);
      if (!row) throw new Error('Expected the new session to exist right after writing it');
      return toSession(row);
    });
  }

  touchSession(token: string, ttlMs: number): SessionRecord | undefined {
    const now = this.now();
    const session = this.byToken.get(token) ?? this.read(token);
    if (!session || session.expiresAt <= now) {
      this.byToken.delete(token);
      return undefined;
    }
    const expiresAt = now + ttlMs;
    // Every authenticated request comes here: a write (two UPDATEs and a commit) each time would be most
    // of a cheap request's cost. The expiry moves only in steps of SLIDE_STEP of the lifetime, so it may
    // be up to a step early, never late; last_request_at moves with it, so it too is up to a step old.
    if (expiresAt - session.expiresAt < ttlMs * SLIDE_STEP) return session;
    this.db.transaction(() => {
      this.db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run([expiresAt, session.id]);
      if (session.userId > 0) this.db.prepare('UPDATE users SET last_request_at = ? WHERE id = ?').run([now, session.userId]);
    });
    return this.remember({ ...session, expiresAt });
  }

  setSessionUser(token: string, userId: number): void {
    this.byToken.delete(token);
    this.db.prepare('UPDATE sessions SET user_id = ?, updated_at = ? WHERE token = ?').run([userId, this.now(), token]);
  }

  deleteSession(token: string): void {
    this.byToken.delete(token);
    this.db.prepare('DELETE FROM sessions WHERE token = ?').run([token]);
  }

  /** Drops the cached sessions of a user whose sessions were deleted with it. */
  forgetUser(userId: number): void {
    for (const [token, session] of this.byToken) if (session.userId === userId) this.byToken.delete(token);
  }

  private read(token: string): SessionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM sessions WHERE token = ?').get<SessionRow>([token]);
    return row && this.remember(toSession(row));
  }

  private remember(session: SessionRecord): SessionRecord {
    if (this.byToken.size >= CACHE_LIMIT) this.byToken.clear();
    this.byToken.set(session.token, session);
    return session;
  }

  claimNonce(appId: number, nonce: number, ts: number): boolean {
    return this.db.transaction(() => {
      // Housekeeping rides on the insert, so no timer is needed to keep the table small.
      this.db.prepare('DELETE FROM used_nonces WHERE ts < ?').run([Math.floor(this.now() / 1000) - NONCE_MEMORY_SECONDS]);
      // One statement both checks and records, so two concurrent requests cannot both claim the nonce.
      return this.db.prepare('INSERT OR IGNORE INTO used_nonces (app_id, nonce, ts) VALUES (?, ?, ?)').run([appId, nonce, ts]).changes === 1;
    });
  }
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    token: row.token,
    appId: row.app_id,
    userId: row.user_id,
    nonce: row.nonce,
    ts: row.ts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
}
