// Messages on SQL. Every change that moves a dialog's last_message* or an occupant's unread counter
// does so in the same transaction as the change itself; the counter counts messages from others
// that the occupant has neither read nor deleted for themself.
import type { QBAttachment } from '../../shared/models';
import { newObjectId } from '../../shared/objectId';
import type { MessageField, MessagePageJson, MessageQuery, MessageRecord, MessageStore, NewMessage } from './chatStore';
import type { SqlDriver, SqlValue } from './driver';
import { addCustomFilterConditions, addFilterConditions, type FilterColumn } from './filters';
import { messageJsonSql, messageJsonUnusualSql } from './sqlJson';
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

const MESSAGE_SELECT = `
  SELECT m.*,
    (SELECT json_group_array(user_id) FROM message_reads r WHERE r.message_id = m.id) AS read_ids,
    (SELECT json_group_array(user_id) FROM message_deliveries d WHERE d.message_id = m.id) AS delivered_ids
  FROM messages m`;

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
  read_ids: { kind: 'set', sql: 'EXISTS (SELECT 1 FROM message_reads fr WHERE fr.message_id = m.id AND fr.user_id {test})' },
  delivered_ids: { kind: 'set', sql: 'EXISTS (SELECT 1 FROM message_deliveries fd WHERE fd.message_id = m.id AND fd.user_id {test})' },
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
 * LIMIT and OFFSET as expressions: a bare `LIMIT ?` lets the planner read the bound value, and SQLite
 * then prepares the statement again every time another value is bound (~0.3 ms for a page of messages).
 */
export const PAGE = 'LIMIT (? + 0) OFFSET (? + 0)';

export class SqlMessages implements MessageStore {
  constructor(
    private readonly db: SqlDriver,
    private readonly now: () => number,
    private readonly dialogs: SqlDialogs,
  ) {}

  createMessage(input: NewMessage): MessageRecord {
    return this.db.transaction(() => {
      // Inside the transaction: a message that fails to insert must not leave a new, empty dialog behind.
      const dialog =
        'privateWith' in input ? this.dialogs.ensurePrivateMembership(input.senderId, input.privateWith) : this.dialogs.dialogMembership(input.dialogId);
      if (!dialog) throw new Error(`No dialog ${'dialogId' in input ? input.dialogId : ''}`);
      const now = this.now();
      const recipientId = dialog.type === 3 ? (dialog.occupantIds.find((u) => u !== input.senderId) ?? 0) : 0;
      const attachments = JSON.stringify(input.attachments ?? []);
      const customParams = JSON.stringify(input.customParams ?? {});
      const insert = this.db.prepare(
        `INSERT INTO messages (id, dialog_id, sender_id, recipient_id, body, date_sent, attachments, custom_params,
           markable, stanza_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      );
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
        now,
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
      // A dialog someone deleted for themself comes back with the next message, as in the cloud.
      this.db.prepare('DELETE FROM hidden_dialogs WHERE dialog_id = ?').run([dialog.id]);
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

  findMessageByStanzaId(dialogId: string, stanzaId: string): MessageRecord | undefined {
    const row = this.db.prepare(`${MESSAGE_SELECT} WHERE m.dialog_id = ? AND m.stanza_id = ?`).get<MessageRow>([dialogId, stanzaId]);
    return row && toMessage(row);
  }

  listMessages(dialogId: string, query: MessageQuery): MessageRecord[] {
    const { where, params } = this.where(dialogId, query);
    const direction = query.sortAscending === false ? 'DESC' : 'ASC';
    const column = SORT_COLUMNS[query.sortField ?? 'date_sent'];
    // _id breaks ties: ObjectIds grow with time, so equal dates keep the order they were stored in.
    const order = column === 'm.id' ? `m.id ${direction}` : `${column} ${direction} NULLS LAST, m.id ${direction}`;
    const rows = this.db
      .prepare(`${MESSAGE_SELECT} ${where} ORDER BY ${order} ${PAGE}`)
      .all<MessageRow>([...params, query.limit, query.skip]);
    return rows.map(toMessage);
  }

  listMessagesJson(dialogId: string, query: MessageQuery): MessagePageJson | undefined {
    const { where, params } = this.where(dialogId, query);
    const direction = query.sortAscending === false ? 'DESC' : 'ASC';
    const column = SORT_COLUMNS[query.sortField ?? 'date_sent'];
    const order = (alias: string) => {
      const c = column.replace('m.', `${alias}.`);
      return c === `${alias}.id` ? `${alias}.id ${direction}` : `${c} ${direction} NULLS LAST, ${alias}.id ${direction}`;
    };
    // The page is chosen first (as listMessages does), then each row becomes its JSON text and the
    // page one string. ?1 is the viewer: the listed messages from others still lacking their read or
    // delivered mark come back as a comma-separated list of ids.
    const row = this.db
      .prepare(
        `SELECT json_group_array(${messageJsonSql('p')} ORDER BY ${order('p')}) AS items,
           group_concat(CASE WHEN p.sender_id != ?1 AND NOT (
               EXISTS (SELECT 1 FROM message_reads vr WHERE vr.message_id = p.id AND vr.user_id = ?1)
               AND EXISTS (SELECT 1 FROM message_deliveries vd WHERE vd.message_id = p.id AND vd.user_id = ?1))
             THEN p.id END, ',') AS unmarked,
           coalesce(max(${messageJsonUnusualSql('p')}), 0) AS unusual
         FROM (SELECT m.* FROM messages m ${where} ORDER BY ${order('m')} ${PAGE}) p`,
      )
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
      const newlyRead = this.insertMarks('message_reads', userId, dialogId, messageIds);
      this.insertMarks('message_deliveries', userId, dialogId, messageIds); // read implies delivered
      // Only visible messages from others count as unread, exactly the ones insertMarks can newly mark.
      this.moveUnread(userId, dialogId, -newlyRead);
      return newlyRead;
    });
  }

  markDelivered(userId: number, dialogId: string, messageIds?: string[]): number {
    return this.insertMarks('message_deliveries', userId, dialogId, messageIds);
  }

  markUnread(userId: number, dialogId: string, messageIds?: string[]): number {
    return this.db.transaction(() => {
      const { sql, params } = markable(userId, dialogId, messageIds);
      const { changes } = this.db.prepare(`DELETE FROM message_reads WHERE user_id = ?1 AND message_id IN (SELECT m.id ${sql})`).run(params);
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
          .prepare(`SELECT count(*) AS n ${sql} AND NOT EXISTS (SELECT 1 FROM message_reads r WHERE r.message_id = m.id AND r.user_id = ?1)`)
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
               AND NOT EXISTS (SELECT 1 FROM message_reads r WHERE r.message_id = m.id AND r.user_id = dialog_occupants.user_id)
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

  /** Adds userId to the marks of the dialog's visible messages from others; returns how many were new. */
  private insertMarks(table: 'message_reads' | 'message_deliveries', userId: number, dialogId: string, ids?: string[]): number {
    const { sql, params } = markable(userId, dialogId, ids);
    return this.db.prepare(`INSERT OR IGNORE INTO ${table} (message_id, user_id) SELECT m.id, ?1 ${sql}`).run(params).changes;
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
