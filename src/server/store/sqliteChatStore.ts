// ChatStore on SQL. Every rule that spans rows (one private dialog per pair, last_message and the
// per-(user, dialog) unread counters moving with each message) runs inside one transaction here.
import { randomBytes } from 'node:crypto';
import type { DialogType, QBAttachment } from '../../shared/models';
import { newObjectId } from '../../shared/objectId';
import {
  StoreConflictError,
  type ChatStore,
  type DialogQuery,
  type DialogRecord,
  type MessageQuery,
  type MessageRecord,
  type NewDialog,
  type NewMessage,
  type NewUser,
  type SessionRecord,
  type UserField,
  type UserQuery,
  type UserRecord,
} from './chatStore';
import type { SqlDriver, SqlValue } from './driver';
import { checkPassword, hashPassword } from './passwords';
import { migrate } from './schema';
import { MEMORY_PATH, openSqliteWasm } from './sqliteWasm';

export interface SqliteChatStoreOptions {
  /** Database file, or undefined for an in-memory store. */
  path?: string;
  /** Unix ms; injectable so tests can move time (session expiry) without waiting. */
  now?: () => number;
}

export function openSqliteChatStore(options: SqliteChatStoreOptions = {}): ChatStore {
  const db = openSqliteWasm(options.path ?? MEMORY_PATH);
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteChatStore(db, options.now ?? Date.now);
}

// Nonces are remembered a little longer than the ±60 min timestamp window, after which a replay
// is rejected for its timestamp anyway.
const NONCE_MEMORY_SECONDS = 2 * 60 * 60;

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

interface DialogRow {
  id: string;
  type: DialogType;
  owner_id: number;
  name: string | null;
  photo: string | null;
  is_join_required: number;
  data: string | null;
  last_message: string | null;
  last_message_date_sent: number | null;
  last_message_id: string | null;
  last_message_user_id: number | null;
  created_at: number;
  updated_at: number;
}

interface MessageRow {
  id: string;
  dialog_id: string;
  sender_id: number;
  recipient_id: number;
  body: string | null;
  date_sent: number;
  attachments: string;
  custom_params: string;
  markable: number;
  stanza_id: string | null;
  created_at: number;
  updated_at: number;
  read_ids: string;
  delivered_ids: string;
}

const MESSAGE_SELECT = `
  SELECT m.*,
    (SELECT json_group_array(user_id) FROM message_reads r WHERE r.message_id = m.id) AS read_ids,
    (SELECT json_group_array(user_id) FROM message_deliveries d WHERE d.message_id = m.id) AS delivered_ids
  FROM messages m`;

// Whitelists: user input picks an entry, never writes SQL.
const DIALOG_SORT_COLUMNS: Record<NonNullable<DialogQuery['sortField']>, string> = {
  last_message_date_sent: 'd.last_message_date_sent',
  created_at: 'd.created_at',
  updated_at: 'd.updated_at',
  name: 'd.name',
  _id: 'd.id',
};

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

class SqliteChatStore implements ChatStore {
  constructor(
    private readonly db: SqlDriver,
    private readonly now: () => number,
  ) {}

  // ---- users ----

  createUser(input: NewUser): UserRecord {
    // Hashing is slow on purpose, so it happens before the write transaction opens.
    const passwordHash = hashPassword(input.password);
    return this.db.transaction(() => {
      if (input.login !== undefined && this.findUserByLogin(input.login)) throw new StoreConflictError('login');
      if (input.email !== undefined && this.findUserByEmail(input.email)) throw new StoreConflictError('email');
      if (input.externalUserId !== undefined && this.userExistsWhere('external_user_id', input.externalUserId)) {
        throw new StoreConflictError('external_user_id');
      }
      const now = this.now();
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO users (login, email, full_name, phone, website, external_user_id, custom_data, tags,
             password_hash, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run([
          input.login ?? null,
          input.email ?? null,
          input.fullName ?? null,
          input.phone ?? null,
          input.website ?? null,
          input.externalUserId ?? null,
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
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const direction = query.sortAscending === false ? 'DESC' : 'ASC';
    const order = `ORDER BY ${USER_COLUMNS[query.sortField ?? 'id']} ${direction}, id ${direction}`;
    const total = this.db.prepare(`SELECT count(*) AS n FROM users ${where}`).get<{ n: number }>(params)?.n ?? 0;
    const rows = this.db
      .prepare(`SELECT * FROM users ${where} ${order} LIMIT ? OFFSET ?`)
      .all<UserRow>([...params, query.limit, query.skip]);
    return { total, items: rows.map(toUser) };
  }

  // ---- sessions ----

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
      return this.requireSession(token);
    });
  }

  touchSession(token: string, ttlMs: number): SessionRecord | undefined {
    return this.db.transaction(() => {
      const now = this.now();
      const row = this.db.prepare('SELECT * FROM sessions WHERE token = ?').get<SessionRow>([token]);
      if (!row || row.expires_at <= now) return undefined;
      this.db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run([now + ttlMs, row.id]);
      if (row.user_id > 0) this.db.prepare('UPDATE users SET last_request_at = ? WHERE id = ?').run([now, row.user_id]);
      return toSession({ ...row, expires_at: now + ttlMs });
    });
  }

  setSessionUser(token: string, userId: number): void {
    this.db.prepare('UPDATE sessions SET user_id = ?, updated_at = ? WHERE token = ?').run([userId, this.now(), token]);
  }

  deleteSession(token: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token = ?').run([token]);
  }

  claimNonce(appId: number, nonce: number, ts: number): boolean {
    return this.db.transaction(() => {
      // Housekeeping rides on the insert, so no timer is needed to keep the table small.
      this.db.prepare('DELETE FROM used_nonces WHERE ts < ?').run([Math.floor(this.now() / 1000) - NONCE_MEMORY_SECONDS]);
      // One statement both checks and records, so two concurrent requests cannot both claim the nonce.
      return this.db.prepare('INSERT OR IGNORE INTO used_nonces (app_id, nonce, ts) VALUES (?, ?, ?)').run([appId, nonce, ts]).changes === 1;
    });
  }

  // ---- dialogs ----

  createDialog(input: NewDialog): DialogRecord {
    const occupants = [...new Set([input.ownerId, ...input.occupantIds])].sort((a, b) => a - b);
    if (input.type === 3) {
      const opponents = occupants.filter((id) => id !== input.ownerId);
      if (opponents.length !== 1) throw new Error(`A private dialog needs exactly one opponent, got ${opponents.length}`);
      return this.ensurePrivateDialog(input.ownerId, opponents[0]).dialog;
    }
    return this.db.transaction(() => {
      const id = newObjectId(this.now());
      this.insertDialog(id, input.type, input.ownerId, occupants, {
        name: input.name ?? null,
        photo: input.photo ?? null,
        data: input.data ?? null,
        privatePair: null,
      });
      return this.requireDialog(id);
    });
  }

  getDialog(id: string): DialogRecord | undefined {
    const row = this.db.prepare('SELECT * FROM dialogs WHERE id = ?').get<DialogRow>([id]);
    return row && this.toDialog(row);
  }

  findPrivateDialog(userA: number, userB: number): DialogRecord | undefined {
    const row = this.db.prepare('SELECT * FROM dialogs WHERE private_pair = ?').get<DialogRow>([privatePair(userA, userB)]);
    return row && this.toDialog(row);
  }

  ensurePrivateDialog(userA: number, userB: number): { dialog: DialogRecord; created: boolean } {
    if (userA === userB) throw new Error('A private dialog needs two different users');
    return this.db.transaction(() => {
      const existing = this.findPrivateDialog(userA, userB);
      if (existing) return { dialog: existing, created: false };
      const id = newObjectId(this.now());
      const occupants = [userA, userB].sort((a, b) => a - b);
      this.insertDialog(id, 3, userA, occupants, { name: null, photo: null, data: null, privatePair: privatePair(userA, userB) });
      return { dialog: this.requireDialog(id), created: true };
    });
  }

  listDialogs(userId: number, query: DialogQuery): { total: number; items: DialogRecord[] } {
    // Visible: dialogs the user occupies, plus every public dialog (anyone may join those).
    const where = `
      WHERE (d.type = 1 OR EXISTS (SELECT 1 FROM dialog_occupants o WHERE o.dialog_id = d.id AND o.user_id = ?1))
        AND (?2 IS NULL OR d.type IN (SELECT value FROM json_each(?2)))
        AND (?3 IS NULL OR d.id IN (SELECT value FROM json_each(?3)))`;
    const params: SqlValue[] = [
      userId,
      query.types ? JSON.stringify(query.types) : null,
      query.ids ? JSON.stringify(query.ids) : null,
    ];
    // Default: most recent activity first (a new message or a new dialog moves updated_at).
    const column = DIALOG_SORT_COLUMNS[query.sortField ?? 'updated_at'];
    const direction = query.sortAscending ? 'ASC' : 'DESC';
    const total = this.db.prepare(`SELECT count(*) AS n FROM dialogs d ${where}`).get<{ n: number }>(params)?.n ?? 0;
    const rows = this.db
      .prepare(`SELECT d.* FROM dialogs d ${where} ORDER BY ${column} ${direction} NULLS LAST, d.id ${direction} LIMIT ?4 OFFSET ?5`)
      .all<DialogRow>([...params, query.limit, query.skip]);
    return { total, items: rows.map((row) => this.toDialog(row)) };
  }

  unreadCount(userId: number, dialogId: string): number {
    return (
      this.db
        .prepare('SELECT unread_count FROM dialog_occupants WHERE dialog_id = ? AND user_id = ?')
        .get<{ unread_count: number }>([dialogId, userId])?.unread_count ?? 0
    );
  }

  totalUnreadCount(userId: number): number {
    return (
      this.db.prepare('SELECT coalesce(sum(unread_count), 0) AS n FROM dialog_occupants WHERE user_id = ?').get<{ n: number }>([userId])
        ?.n ?? 0
    );
  }

  // ---- messages ----

  createMessage(input: NewMessage): MessageRecord {
    return this.db.transaction(() => {
      // Inside the transaction: a message that fails to insert must not leave a new, empty dialog behind.
      const dialog =
        'privateWith' in input ? this.ensurePrivateDialog(input.senderId, input.privateWith).dialog : this.getDialog(input.dialogId);
      if (!dialog) throw new Error(`No dialog ${'dialogId' in input ? input.dialogId : ''}`);
      const now = this.now();
      const id = input.id ?? newObjectId(now);
      const recipientId = dialog.type === 3 ? (dialog.occupantIds.find((u) => u !== input.senderId) ?? 0) : 0;
      this.db
        .prepare(
          `INSERT INTO messages (id, dialog_id, sender_id, recipient_id, body, date_sent, attachments, custom_params,
             markable, stanza_id, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run([
          id,
          dialog.id,
          input.senderId,
          recipientId,
          input.body,
          input.dateSent,
          JSON.stringify(input.attachments ?? []),
          JSON.stringify(input.customParams ?? {}),
          input.markable ? 1 : 0,
          input.stanzaId !== undefined && input.stanzaId !== id ? input.stanzaId : null,
          now,
          now,
        ]);
      // The sender has read and received its own message (as the cloud reports it).
      this.db.prepare('INSERT INTO message_reads (message_id, user_id) VALUES (?, ?)').run([id, input.senderId]);
      this.db.prepare('INSERT INTO message_deliveries (message_id, user_id) VALUES (?, ?)').run([id, input.senderId]);
      // A message stored late (older date_sent) must not replace a newer last message.
      this.db
        .prepare(
          `UPDATE dialogs SET
             last_message = CASE WHEN last_message_date_sent IS NULL OR ?1 >= last_message_date_sent THEN ?2 ELSE last_message END,
             last_message_id = CASE WHEN last_message_date_sent IS NULL OR ?1 >= last_message_date_sent THEN ?3 ELSE last_message_id END,
             last_message_user_id = CASE WHEN last_message_date_sent IS NULL OR ?1 >= last_message_date_sent THEN ?4 ELSE last_message_user_id END,
             last_message_date_sent = max(coalesce(last_message_date_sent, ?1), ?1),
             updated_at = ?5
           WHERE id = ?6`,
        )
        .run([input.dateSent, input.body, id, input.senderId, now, dialog.id]);
      this.db
        .prepare('UPDATE dialog_occupants SET unread_count = unread_count + 1 WHERE dialog_id = ? AND user_id != ?')
        .run([dialog.id, input.senderId]);
      return this.requireMessage(id);
    });
  }

  editMessage(id: string, body: string): MessageRecord {
    return this.db.transaction(() => {
      const now = this.now();
      const message = this.requireMessage(id);
      this.db.prepare('UPDATE messages SET body = ?, updated_at = ? WHERE id = ?').run([body, now, id]);
      this.db
        .prepare('UPDATE dialogs SET last_message = ?, updated_at = ? WHERE id = ? AND last_message_id = ?')
        .run([body, now, message.dialogId, id]);
      return this.requireMessage(id);
    });
  }

  getMessage(id: string): MessageRecord | undefined {
    const row = this.db.prepare(`${MESSAGE_SELECT} WHERE m.id = ?`).get<MessageRow>([id]);
    return row && toMessage(row);
  }

  listMessages(dialogId: string, query: MessageQuery): MessageRecord[] {
    const direction = query.sortAscending === false ? 'DESC' : 'ASC';
    const rows = this.db
      .prepare(
        `${MESSAGE_SELECT}
         WHERE m.dialog_id = ?1 AND (?2 IS NULL OR m.date_sent > ?2) AND (?3 IS NULL OR m.date_sent < ?3)
           AND (?6 IS NULL OR m.id = ?6)
         ORDER BY m.date_sent ${direction}, m.id ${direction}
         LIMIT ?4 OFFSET ?5`,
      )
      .all<MessageRow>([dialogId, query.dateSentGt ?? null, query.dateSentLt ?? null, query.limit, query.skip, query.id ?? null]);
    return rows.map(toMessage);
  }

  markRead(userId: number, dialogId: string, messageIds?: string[]): number {
    return this.db.transaction(() => {
      const newlyRead = this.insertMarks('message_reads', userId, dialogId, messageIds);
      this.insertMarks('message_deliveries', userId, dialogId, messageIds); // read implies delivered
      // Only messages from others count as unread, exactly the ones insertMarks can newly mark.
      this.db
        .prepare('UPDATE dialog_occupants SET unread_count = max(0, unread_count - ?) WHERE dialog_id = ? AND user_id = ?')
        .run([newlyRead, dialogId, userId]);
      return newlyRead;
    });
  }

  markDelivered(userId: number, dialogId: string, messageIds?: string[]): number {
    return this.insertMarks('message_deliveries', userId, dialogId, messageIds);
  }

  close(): void {
    this.db.close();
  }

  // ---- helpers ----

  /** Adds userId to the marks of the dialog's messages from others (by `_id` or stanza id); returns how many were new. */
  private insertMarks(table: 'message_reads' | 'message_deliveries', userId: number, dialogId: string, ids?: string[]): number {
    return this.db
      .prepare(
        `INSERT OR IGNORE INTO ${table} (message_id, user_id)
         SELECT id, ?1 FROM messages
         WHERE dialog_id = ?2 AND sender_id != ?1
           AND (?3 IS NULL OR id IN (SELECT value FROM json_each(?3)) OR stanza_id IN (SELECT value FROM json_each(?3)))`,
      )
      .run([userId, dialogId, ids ? JSON.stringify(ids) : null]).changes;
  }

  private insertDialog(
    id: string,
    type: DialogType,
    ownerId: number,
    occupants: number[],
    extra: { name: string | null; photo: string | null; data: Record<string, unknown> | null; privatePair: string | null },
  ): void {
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO dialogs (id, type, owner_id, name, photo, is_join_required, data, private_pair, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run([
        id,
        type,
        ownerId,
        extra.name,
        extra.photo,
        type === 1 ? 1 : 0,
        extra.data ? JSON.stringify(extra.data) : null,
        extra.privatePair,
        now,
        now,
      ]);
    const insert = this.db.prepare('INSERT INTO dialog_occupants (dialog_id, user_id) VALUES (?, ?)');
    for (const userId of occupants) insert.run([id, userId]);
  }

  private toDialog(row: DialogRow): DialogRecord {
    const occupants = this.db
      .prepare('SELECT user_id FROM dialog_occupants WHERE dialog_id = ? ORDER BY user_id')
      .all<{ user_id: number }>([row.id]);
    return {
      id: row.id,
      type: row.type,
      ownerId: row.owner_id,
      name: row.name,
      photo: row.photo,
      occupantIds: occupants.map((o) => o.user_id),
      isJoinRequired: row.is_join_required ? 1 : 0,
      lastMessage: row.last_message,
      lastMessageDateSent: row.last_message_date_sent,
      lastMessageId: row.last_message_id,
      lastMessageUserId: row.last_message_user_id,
      data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private userExistsWhere(column: 'external_user_id', value: SqlValue): boolean {
    return this.db.prepare(`SELECT 1 AS found FROM users WHERE ${column} = ?`).get([value]) !== undefined;
  }

  private requireUser(id: number): UserRecord {
    return required(this.getUser(id), `user ${id}`);
  }

  private requireSession(token: string): SessionRecord {
    const row = this.db.prepare('SELECT * FROM sessions WHERE token = ?').get<SessionRow>([token]);
    return toSession(required(row, 'the new session'));
  }

  private requireDialog(id: string): DialogRecord {
    return required(this.getDialog(id), `dialog ${id}`);
  }

  private requireMessage(id: string): MessageRecord {
    return required(this.getMessage(id), `message ${id}`);
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Expected ${what} to exist right after writing it`);
  return value;
}

function privatePair(userA: number, userB: number): string {
  return userA < userB ? `${userA}:${userB}` : `${userB}:${userA}`;
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

function toMessage(row: MessageRow): MessageRecord {
  const ascending = (json: string) => (JSON.parse(json) as number[]).sort((a, b) => a - b);
  return {
    id: row.id,
    dialogId: row.dialog_id,
    senderId: row.sender_id,
    recipientId: row.recipient_id,
    body: row.body,
    dateSent: row.date_sent,
    attachments: JSON.parse(row.attachments) as QBAttachment[],
    customParams: JSON.parse(row.custom_params) as Record<string, string>,
    markable: row.markable === 1,
    readIds: ascending(row.read_ids),
    deliveredIds: ascending(row.delivered_ids),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
