// Messages on SQL. Every change that moves a dialog's last_message* or an occupant's unread counter
// does so in the same transaction as the change itself; the counter counts messages from others
// that the occupant has neither read nor deleted for themself. Read and delivered marks are id lists
// on the message row (idSets.ts), next to the row's REST JSON (sqlJson.ts).
import type { QBAttachment } from '../../shared/models';
import { newObjectId } from '../../shared/objectId';
import type { MessageField, MessagePageJson, MessageQuery, MessageRecord, MessageStore, NewMessage } from './chatStore';
import type { SqlDriver, SqlValue } from './driver';
import { addCustomFilterConditions, addFilterConditions, type FilterColumn } from './filters';
import { hasIdSql, withIdSql, withoutIdSql } from './idSets';
import { messageJsonSql, messageJsonUnusualSql, storedMessageJsonSql } from './sqlJson';
import type { SqlDialogs } from './sqlDialogs';

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

/** Every column but json, which only pages of JSON read. */
const MESSAGE_SELECT = `
  SELECT m.id, m.dialog_id, m.sender_id, m.recipient_id, m.body, m.date_sent, m.attachments, m.custom_params, m.markable,
    m.stanza_id, m.created_at, m.updated_at, m.read_ids, m.delivered_ids
  FROM messages m`;

type MarkColumn = 'read_ids' | 'delivered_ids';

// Dates are compared in whole seconds, the precision the JSON shows (and clients filter with).
const COLUMNS: Record<MessageField, FilterColumn> = {
  _id: { kind: 'scalar', sql: 'm.id' },
  message: { kind: 'scalar', sql: 'm.body' },
  date_sent: { kind: 'scalar', sql: 'm.date_sent' },
  sender_id: { kind: 'scalar', sql: 'm.sender_id' },
  recipient_id: { kind: 'scalar', sql: 'm.recipient_id' },
  created_at: { kind: 'scalar', sql: '(m.created_at / 1000)' },
  updated_at: { kind: 'scalar', sql: '(m.updated_at / 1000)' },
  'attachments.type': { kind: 'set', sql: "EXISTS (SELECT 1 FROM json_each(m.attachments) a WHERE json_extract(a.value, '$.type') {test})" },
  read_ids: { kind: 'set', sql: 'EXISTS (SELECT 1 FROM json_each(m.read_ids) fr WHERE fr.value {test})' },
  delivered_ids: { kind: 'set', sql: 'EXISTS (SELECT 1 FROM json_each(m.delivered_ids) fd WHERE fd.value {test})' },
};

const SORT_COLUMNS: Record<NonNullable<MessageQuery['sortField']>, string> = {
  _id: 'm.id',
  message: 'm.body',
  date_sent: 'm.date_sent',
  sender_id: 'm.sender_id',
  recipient_id: 'm.recipient_id',
  created_at: 'm.created_at',
  updated_at: 'm.updated_at',
};

/** What a mark may touch: messages of dialog ?2 from others than user ?1 that ?1 has not deleted for themself. */
const MARKABLE_WHERE = `
  WHERE m.dialog_id = ?2 AND m.sender_id != ?1
    AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.message_id = m.id AND h.user_id = ?1)`;

/**
 * The listed ones among them: JSON list ?3 names each by _id or by stanza id. The ids are looked up
 * by key (primary key, stanza-id index) and CROSS JOIN keeps them the driving side; with
 * `m.id IN (…) OR m.stanza_id IN (…)` SQLite walked every message of the dialog instead.
 */
const LISTED_FROM = `
  FROM (SELECT value AS id FROM json_each(?3)
        UNION SELECT s.id FROM messages s WHERE s.dialog_id = ?2 AND s.stanza_id IN (SELECT value FROM json_each(?3))) listed
  CROSS JOIN messages m ON m.id = listed.id`;

/** FROM … WHERE of the markable messages, every one of the dialog's or only those ids names, with its parameters. */
function markable(userId: number, dialogId: string, ids: string[] | undefined): { sql: string; params: SqlValue[] } {
  return ids
    ? { sql: `${LISTED_FROM} ${MARKABLE_WHERE}`, params: [userId, dialogId, JSON.stringify(ids)] }
    : { sql: `FROM messages m ${MARKABLE_WHERE}`, params: [userId, dialogId] };
}

/**
 * A new message and its JSON, built from the values as stored, in one statement (`WHERE true` lets
 * SQLite parse the upsert). Texts of statements run per request are built once: a fresh string of a
 * few KB costs its building and hashing by the statement cache on every call.
 */
const INSERT_MESSAGE = `
  INSERT INTO messages (id, dialog_id, sender_id, recipient_id, body, date_sent, attachments, custom_params,
    markable, stanza_id, created_at, updated_at, read_ids, delivered_ids, json)
  SELECT v.*, ${storedMessageJsonSql('v')}
  FROM (SELECT ?1 AS id, ?2 AS dialog_id, ?3 AS sender_id, ?4 AS recipient_id, ?5 AS body, ?6 AS date_sent,
          ?7 AS attachments, ?8 AS custom_params, ?9 AS markable, ?10 AS stanza_id, ?11 AS created_at,
          ?11 AS updated_at, ?12 AS read_ids, ?12 AS delivered_ids) v
  WHERE true ON CONFLICT (id) DO NOTHING`;

/** A message stored late (older date_sent) must not replace a newer last message. */
const UPDATE_LAST_MESSAGE = `
  UPDATE dialogs SET
    last_message = CASE WHEN last_message_date_sent IS NULL OR ?1 >= last_message_date_sent THEN ?2 ELSE last_message END,
    last_message_id = CASE WHEN last_message_date_sent IS NULL OR ?1 >= last_message_date_sent THEN ?3 ELSE last_message_id END,
    last_message_user_id = CASE WHEN last_message_date_sent IS NULL OR ?1 >= last_message_date_sent THEN ?4 ELSE last_message_user_id END,
    last_message_date_sent = max(coalesce(last_message_date_sent, ?1), ?1),
    updated_at = ?5
  WHERE id = ?6`;

interface LastMessage {
  id: string;
  body: string | null;
  senderId: number;
  dateSent: number;
}

/** What a batch's messages change in one dialog, written once when the batch ends. */
interface DialogTouch {
  /** The newest by date_sent, the later saved on a tie: the one one-by-one saves would leave last. */
  last: LastMessage;
  /** The time of the dialog's latest save. */
  updatedAt: number;
  /** New messages per sender: each moves the unread count of every other occupant. */
  bySender: Map<number, number>;
}

function touch(touches: Map<string, DialogTouch>, dialogId: string, message: LastMessage, now: number): void {
  const touched = touches.get(dialogId);
  if (!touched) {
    touches.set(dialogId, { last: message, updatedAt: now, bySender: new Map([[message.senderId, 1]]) });
    return;
  }
  if (message.dateSent >= touched.last.dateSent) touched.last = message;
  touched.updatedAt = now;
  touched.bySender.set(message.senderId, (touched.bySender.get(message.senderId) ?? 0) + 1);
}

/**
 * What a page of messages `p` answers (see listMessagesJson): its JSON array text, the ids the viewer
 * ?1 has not both read and received, and whether a row must be built by messageJson instead.
 */
const PAGE_JSON = `
  '[' || coalesce(group_concat(coalesce(p.json, ${messageJsonSql('p')}), ','), '') || ']' AS items,
  group_concat(CASE WHEN p.sender_id != ?1 AND NOT (${hasIdSql('p.read_ids', '?1')} AND ${hasIdSql('p.delivered_ids', '?1')})
    THEN p.id END, ',') AS unmarked,
  coalesce(max(p.json IS NULL AND ${messageJsonUnusualSql('p')}), 0) AS unusual`;

/**
 * LIMIT and OFFSET as expressions: a bare `LIMIT ?` lets the planner read the bound value, and SQLite
 * then prepares the statement again every time another value is bound (~0.3 ms for a page of messages).
 */
export const PAGE = 'LIMIT (? + 0) OFFSET (? + 0)';

export class SqlMessages implements MessageStore {
  /** While a message batch runs: what its messages change in their dialogs so far. */
  private touches: Map<string, DialogTouch> | undefined;
  private batchFailed = false;

  constructor(
    private readonly db: SqlDriver,
    private readonly now: () => number,
    private readonly dialogs: SqlDialogs,
  ) {}

  createMessage(input: NewMessage): MessageRecord {
    const touches = this.touches;
    if (!touches) return this.messageBatch(() => this.createMessage(input));
    try {
      return this.insertMessage(input, touches);
    } catch (error) {
      // Without a savepoint per message a failed one may leave writes behind (a new private dialog):
      // the batch must not commit them, even if fn catches the error.
      this.batchFailed = true;
      throw error;
    }
  }

  createMessages(inputs: readonly NewMessage[]): MessageRecord[] {
    return this.messageBatch(() => inputs.map((input) => this.createMessage(input)));
  }

  messageBatch<T>(fn: () => T): T {
    if (this.touches) return fn();
    return this.db.transaction(() => {
      const touches = new Map<string, DialogTouch>();
      this.touches = touches;
      this.batchFailed = false;
      try {
        const result = fn();
        if (this.batchFailed) throw new Error('A message of the batch could not be saved, so none of the batch is; save them again');
        this.applyTouches(touches);
        return result;
      } finally {
        this.touches = undefined;
      }
    });
  }

  /** Inserts the message row only; what it changes in its dialog is added to `touches`. */
  private insertMessage(input: NewMessage, touches: Map<string, DialogTouch>): MessageRecord {
    const dialog =
      'privateWith' in input ? this.dialogs.ensurePrivateMembership(input.senderId, input.privateWith) : this.dialogs.dialogMembership(input.dialogId);
    if (!dialog) throw new Error(`No dialog ${'dialogId' in input ? input.dialogId : ''}`);
    const now = this.now();
    const recipientId = dialog.type === 3 ? (dialog.occupantIds.find((u) => u !== input.senderId) ?? 0) : 0;
    const attachments = JSON.stringify(input.attachments ?? []);
    const customParams = JSON.stringify(input.customParams ?? {});
    const insert = this.db.prepare(INSERT_MESSAGE);
    // The sender has read and received its own message (as the cloud reports it).
    const senderOnly = JSON.stringify([input.senderId]);
    const row = (id: string, stanzaId: string | undefined): SqlValue[] => [
      id,
      dialog.id,
      input.senderId,
      recipientId,
      input.body,
      input.dateSent,
      attachments,
      customParams,
      input.markable ? 1 : 0,
      stanzaId !== undefined && stanzaId !== id ? stanzaId : null,
      now,
      senderOnly,
    ];
    // A preferred id that is taken is kept as the stanza id instead: the primary key says so, no read needed.
    let id = input.id ?? input.preferredId ?? newObjectId(now);
    let stanzaId = input.preferredId === undefined ? input.stanzaId : undefined;
    if (insert.run(row(id, stanzaId)).changes === 0) {
      if (input.id !== undefined || input.preferredId === undefined) throw new Error(`A message with id ${id} already exists`);
      stanzaId = input.preferredId;
      id = newObjectId(now);
      if (insert.run(row(id, stanzaId)).changes === 0) throw new Error(`A message with id ${id} already exists`);
    }
    touch(touches, dialog.id, { id, body: input.body, senderId: input.senderId, dateSent: input.dateSent }, now);
    // The record from the values just written (what getMessage would read back), without reading it.
    return {
      id,
      dialogId: dialog.id,
      senderId: input.senderId,
      recipientId,
      body: input.body,
      dateSent: input.dateSent,
      attachments: JSON.parse(attachments) as QBAttachment[],
      customParams: JSON.parse(customParams) as Record<string, string>,
      markable: Boolean(input.markable),
      readIds: [input.senderId],
      deliveredIds: [input.senderId],
      createdAt: now,
      updatedAt: now,
    };
  }

  /** One write per dialog (and per sender in it) for all of a batch's messages, ending as one-by-one saves would. */
  private applyTouches(touches: Map<string, DialogTouch>): void {
    const lastMessage = this.db.prepare(UPDATE_LAST_MESSAGE);
    const unread = this.db.prepare('UPDATE dialog_occupants SET unread_count = unread_count + ? WHERE dialog_id = ? AND user_id != ?');
    const unhide = this.db.prepare('DELETE FROM hidden_dialogs WHERE dialog_id = ?');
    for (const [dialogId, { last, updatedAt, bySender }] of touches) {
      lastMessage.run([last.dateSent, last.body, last.id, last.senderId, updatedAt, dialogId]);
      for (const [senderId, count] of bySender) unread.run([count, dialogId, senderId]);
      // A dialog someone deleted for themself comes back with the next message, as in the cloud.
      unhide.run([dialogId]);
    }
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

  findMessageByStanzaId(dialogId: string, stanzaId: string): MessageRecord | undefined {
    const row = this.db.prepare(`${MESSAGE_SELECT} WHERE m.dialog_id = ? AND m.stanza_id = ?`).get<MessageRow>([dialogId, stanzaId]);
    return row && toMessage(row);
  }

  listMessages(dialogId: string, query: MessageQuery): MessageRecord[] {
    const { where, params } = this.where(dialogId, query);
    const rows = this.db
      .prepare(`${MESSAGE_SELECT} ${where} ORDER BY ${this.order(query)} ${PAGE}`)
      .all<MessageRow>([...params, query.limit, query.skip]);
    return rows.map(toMessage);
  }

  listMessagesJson(dialogId: string, query: MessageQuery): MessagePageJson | undefined {
    const { where, params } = this.where(dialogId, query);
    // The page is chosen first (as listMessages does), then the rows' stored JSON texts are joined
    // into one string in the page's order (see Ordering in sqlJson.ts; a row stored without one is
    // built here). ?1 is the viewer: the listed messages from others still lacking their read or
    // delivered mark come back as a comma-separated list of ids.
    const row = this.db
      .prepare(`SELECT ${PAGE_JSON} FROM (SELECT m.* FROM messages m ${where} ORDER BY ${this.order(query)} ${PAGE}) p`)
      .get<{ items: string; unmarked: string | null; unusual: number }>([query.viewerId ?? null, ...params, query.limit, query.skip]);
    if (!row || row.unusual) return undefined;
    return { items: row.items, unmarkedIds: row.unmarked ? row.unmarked.split(',') : [] };
  }

  countMessages(dialogId: string, query: Omit<MessageQuery, 'limit' | 'skip'>): number {
    const { where, params } = this.where(dialogId, query);
    return this.db.prepare(`SELECT count(*) AS n FROM messages m ${where}`).get<{ n: number }>(params)?.n ?? 0;
  }

  isMessageHidden(userId: number, messageId: string): boolean {
    return this.db.prepare('SELECT 1 AS hidden FROM hidden_messages WHERE message_id = ? AND user_id = ?').get([messageId, userId]) !== undefined;
  }

  markRead(userId: number, dialogId: string, messageIds?: string[]): number {
    return this.db.transaction(() => {
      // Read implies delivered: one write per message gives it both marks (and refreshes its JSON once);
      // the second call finds only messages read earlier but never marked delivered, normally none.
      const newlyRead = this.addMarks('read_ids', userId, dialogId, messageIds);
      this.addMarks('delivered_ids', userId, dialogId, messageIds);
      // Only visible messages from others count as unread, exactly the ones addMarks can newly mark.
      this.moveUnread(userId, dialogId, -newlyRead);
      return newlyRead;
    });
  }

  markDelivered(userId: number, dialogId: string, messageIds?: string[]): number {
    return this.addMarks('delivered_ids', userId, dialogId, messageIds);
  }

  markUnread(userId: number, dialogId: string, messageIds?: string[]): number {
    return this.db.transaction(() => {
      const { sql, params } = markable(userId, dialogId, messageIds);
      const { changes } = this.db
        .prepare(`UPDATE messages SET read_ids = ${withoutIdSql('read_ids', '?1')} WHERE id IN (SELECT m.id ${sql} AND ${hasIdSql('m.read_ids', '?1')})`)
        .run(params);
      this.moveUnread(userId, dialogId, changes);
      return changes;
    });
  }

  hideMessages(userId: number, dialogId: string, messageIds: string[]): void {
    this.db.transaction(() => {
      const ids = JSON.stringify(messageIds);
      // Counted before hiding: the unread ones among them stop counting for this user.
      const { sql, params } = markable(userId, dialogId, messageIds);
      const unread =
        this.db
          .prepare(`SELECT count(*) AS n ${sql} AND NOT ${hasIdSql('m.read_ids', '?1')}`)
          .get<{ n: number }>(params)?.n ?? 0;
      this.db
        .prepare(
          `INSERT OR IGNORE INTO hidden_messages (message_id, user_id)
           SELECT id, ? FROM messages WHERE dialog_id = ? AND id IN (SELECT value FROM json_each(?))`,
        )
        .run([userId, dialogId, ids]);
      this.moveUnread(userId, dialogId, -unread);
    });
  }

  deleteMessages(dialogId: string, messageIds: string[]): void {
    this.db.transaction(() => {
      const ids = JSON.stringify(messageIds);
      // Each occupant's counter loses the deleted messages that were still unread for them.
      this.db
        .prepare(
          `UPDATE dialog_occupants SET unread_count = max(0, unread_count - (
             SELECT count(*) FROM messages m
             WHERE m.dialog_id = dialog_occupants.dialog_id AND m.id IN (SELECT value FROM json_each(?1))
               AND m.sender_id != dialog_occupants.user_id
               AND NOT ${hasIdSql('m.read_ids', 'dialog_occupants.user_id')}
               AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.message_id = m.id AND h.user_id = dialog_occupants.user_id)))
           WHERE dialog_id = ?2`,
        )
        .run([ids, dialogId]);
      this.db.prepare('DELETE FROM messages WHERE dialog_id = ? AND id IN (SELECT value FROM json_each(?))').run([dialogId, ids]);
      // The newest remaining message becomes the last one (all NULL when none is left).
      this.db
        .prepare(
          `UPDATE dialogs SET (last_message, last_message_date_sent, last_message_id, last_message_user_id) =
             (SELECT body, date_sent, id, sender_id FROM messages WHERE dialog_id = ?1 ORDER BY date_sent DESC, id DESC LIMIT 1),
             updated_at = ?2
           WHERE id = ?1`,
        )
        .run([dialogId, this.now()]);
    });
  }

  private where(dialogId: string, query: Omit<MessageQuery, 'limit' | 'skip'>): { where: string; params: SqlValue[] } {
    const conditions = ['m.dialog_id = ?'];
    const params: SqlValue[] = [dialogId];
    if (query.viewerId !== undefined) {
      conditions.push('NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.message_id = m.id AND h.user_id = ?)');
      params.push(query.viewerId);
    }
    addFilterConditions(query.filters ?? [], COLUMNS, conditions, params);
    addCustomFilterConditions(query.customFilters ?? [], 'm.custom_params', conditions, params);
    return { where: `WHERE ${conditions.join(' AND ')}`, params };
  }

  /** ORDER BY of a page; _id breaks ties: ObjectIds grow with time, so equal dates keep the order they were stored in. */
  private order(query: MessageQuery): string {
    const direction = query.sortAscending === false ? 'DESC' : 'ASC';
    const column = SORT_COLUMNS[query.sortField ?? 'date_sent'];
    return column === 'm.id' ? `m.id ${direction}` : `${column} ${direction} NULLS LAST, m.id ${direction}`;
  }

  /**
   * Adds userId to `column` of the dialog's visible messages from others that lack it, and for read_ids
   * to delivered_ids too; returns how many messages were newly marked.
   */
  private addMarks(column: MarkColumn, userId: number, dialogId: string, ids?: string[]): number {
    const { sql, params } = markable(userId, dialogId, ids);
    const alsoDelivered = column === 'read_ids' ? `, delivered_ids = ${withIdSql('delivered_ids', '?1')}` : '';
    return this.db
      .prepare(
        `UPDATE messages SET ${column} = ${withIdSql(column, '?1')}${alsoDelivered}
         WHERE id IN (SELECT m.id ${sql} AND NOT ${hasIdSql(`m.${column}`, '?1')})`,
      )
      .run(params).changes;
  }

  private moveUnread(userId: number, dialogId: string, delta: number): void {
    if (delta === 0) return;
    this.db
      .prepare('UPDATE dialog_occupants SET unread_count = max(0, unread_count + ?) WHERE dialog_id = ? AND user_id = ?')
      .run([delta, dialogId, userId]);
  }

  private requireMessage(id: string): MessageRecord {
    const message = this.getMessage(id);
    if (!message) throw new Error(`Expected message ${id} to exist right after writing it`);
    return message;
  }
}

function toMessage(row: MessageRow): MessageRecord {
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
    readIds: JSON.parse(row.read_ids) as number[],
    deliveredIds: JSON.parse(row.delivered_ids) as number[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
