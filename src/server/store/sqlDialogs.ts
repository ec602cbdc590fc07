// Dialogs on SQL: one private dialog per pair (a unique column), occupants with their unread
// counters and push settings, and the filtered list a user sees.
import type { DialogType } from '../../shared/models';
import { newObjectId } from '../../shared/objectId';
import type {
  DialogChanges,
  DialogField,
  DialogMembership,
  DialogPageJson,
  DialogQuery,
  DialogRecord,
  DialogStore,
  ListedDialog,
  NewDialog,
  RoomNaming,
} from './chatStore';
import type { SqlDriver, SqlValue } from './driver';
import { addCustomFilterConditions, addFilterConditions, type FilterColumn } from './filters';
import { dialogJsonSql, dialogJsonUnusualSql } from './sqlJson';

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

// Dates are compared in whole seconds, the precision the JSON shows (and clients filter with).
const COLUMNS: Record<DialogField, FilterColumn> = {
  _id: { kind: 'scalar', sql: 'd.id' },
  type: { kind: 'scalar', sql: 'd.type' },
  name: { kind: 'scalar', sql: 'd.name' },
  photo: { kind: 'scalar', sql: 'd.photo' },
  user_id: { kind: 'scalar', sql: 'd.owner_id' },
  last_message: { kind: 'scalar', sql: 'd.last_message' },
  last_message_date_sent: { kind: 'scalar', sql: 'd.last_message_date_sent' },
  last_message_user_id: { kind: 'scalar', sql: 'd.last_message_user_id' },
  created_at: { kind: 'scalar', sql: '(d.created_at / 1000)' },
  updated_at: { kind: 'scalar', sql: '(d.updated_at / 1000)' },
  occupants_ids: { kind: 'set', sql: 'EXISTS (SELECT 1 FROM dialog_occupants f WHERE f.dialog_id = d.id AND f.user_id {test})' },
};

const SORT_COLUMNS: Record<NonNullable<DialogQuery['sortField']>, string> = {
  _id: 'd.id',
  type: 'd.type',
  name: 'd.name',
  photo: 'd.photo',
  user_id: 'd.owner_id',
  last_message: 'd.last_message',
  last_message_date_sent: 'd.last_message_date_sent',
  last_message_user_id: 'd.last_message_user_id',
  created_at: 'd.created_at',
  updated_at: 'd.updated_at',
};

/** The dialog row `alias` is not one that user ? deleted for themself. */
const NOT_HIDDEN = (alias: string) => `NOT EXISTS (SELECT 1 FROM hidden_dialogs h WHERE h.user_id = ? AND h.dialog_id = ${alias}.id)`;

/** What a page of dialogs `p` answers for the viewer `k`: its JSON array text, and whether a dialog must be built by dialogJson. */
const PAGE_JSON = `json_group_array(${dialogJsonSql('p', 'k')}) AS items, coalesce(max(${dialogJsonUnusualSql('p')}), 0) AS unusual`;

/** Bounds each cache; at this size it is simply emptied (a refill costs one read per dialog). */
const CACHE_LIMIT = 50_000;

export class SqlDialogs implements DialogStore {
  /**
   * Caches for saving messages (SqlMessages.createMessage): the private dialog's id per pair, and type
   * and occupants per dialog. Exact because every write of a dialog's type or occupants goes through
   * this class (createDialog/ensurePrivateDialog insert, updateDialog, deleteDialog; the cascades of
   * deleteDialog) and forgets the entry, and a rollback anywhere empties both (a dialog created in a
   * rolled-back transaction is gone). Nothing else writes dialog_occupants membership or dialogs.type.
   */
  private readonly privateIds = new Map<string, string>();
  private readonly memberships = new Map<string, DialogMembership>();

  constructor(
    private readonly db: SqlDriver,
    private readonly now: () => number,
  ) {
    db.onRollback(() => this.forgetAll());
  }

  /** The dialog's type and occupants (cached), or undefined when there is no such dialog. */
  dialogMembership(id: string): DialogMembership | undefined {
    const cached = this.memberships.get(id);
    if (cached) return cached;
    const row = this.db.prepare('SELECT type FROM dialogs WHERE id = ?').get<{ type: DialogType }>([id]);
    if (!row) return undefined;
    return this.remember({ id, type: row.type, occupantIds: this.occupantsOf(id).get(id) ?? [] });
  }

  /** As ensurePrivateDialog, but answering only the membership, from the caches when it can. */
  ensurePrivateMembership(userA: number, userB: number): DialogMembership {
    const pair = privatePair(userA, userB);
    const id = this.privateIds.get(pair);
    const cached = id === undefined ? undefined : this.dialogMembership(id);
    if (cached) return cached;
    const { dialog } = this.ensurePrivateDialog(userA, userB);
    if (this.privateIds.size >= CACHE_LIMIT) this.privateIds.clear();
    this.privateIds.set(pair, dialog.id);
    return this.remember({ id: dialog.id, type: dialog.type, occupantIds: dialog.occupantIds });
  }

  private remember(membership: DialogMembership): DialogMembership {
    if (this.memberships.size >= CACHE_LIMIT) this.memberships.clear();
    this.memberships.set(membership.id, membership);
    return membership;
  }

  private forget(id: string): void {
    this.memberships.delete(id);
  }

  private forgetAll(): void {
    this.privateIds.clear();
    this.memberships.clear();
  }

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
    return row && toDialog(row, this.occupantsOf(row.id));
  }

  findPrivateDialog(userA: number, userB: number): DialogRecord | undefined {
    const row = this.db.prepare('SELECT * FROM dialogs WHERE private_pair = ?').get<DialogRow>([privatePair(userA, userB)]);
    return row && toDialog(row, this.occupantsOf(row.id));
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

  listDialogs(userId: number, query: DialogQuery): { total: number; items: ListedDialog[] } {
    const filters = filtersOf(query);
    const { page, params } = this.visiblePage(userId, query, filters);
    const rows = this.db.prepare(`SELECT d.*, coalesce(me.unread_count, 0) AS unread_count ${page}`).all<DialogRow & { unread_count: number }>(params);
    const occupants = this.occupantsOf(...rows.map((row) => row.id));
    return { total: this.countVisible(userId, filters), items: rows.map((row) => ({ ...toDialog(row, occupants), unreadCount: row.unread_count })) };
  }

  listDialogsJson(userId: number, query: DialogQuery, rooms: RoomNaming): DialogPageJson | undefined {
    const filters = filtersOf(query);
    const { page, params } = this.visiblePage(userId, query, filters);
    // The page's rows reach the aggregate in the page's order (see Ordering in sqlJson.ts).
    // `k` carries the viewer and the room JID's parts to every row; its parameters come after the page's.
    const row = this.db
      .prepare(
        `SELECT ${PAGE_JSON}
         FROM (SELECT d.*, coalesce(me.unread_count, 0) AS unread_count ${page}) p,
              (SELECT ? AS viewer_id, ? AS room_prefix, ? AS room_suffix) k`,
      )
      .get<{ items: string; unusual: number }>([...params, userId, `${rooms.appId}_`, `@${rooms.mucDomain}`]);
    if (!row || row.unusual) return undefined;
    return { total: this.countVisible(userId, filters), items: row.items };
  }

  /**
   * FROM … LIMIT of the page of dialogs the user sees, with its parameters: dialogs the user occupies,
   * plus every public dialog (anyone may join those), minus those the user deleted for themself. It
   * joins the caller's occupant row (`me`), which both makes a dialog visible and carries the unread
   * count. In the default order SQLite walks dialogs_by_updated and stops after the page:
   *   SCAN d USING INDEX dialogs_by_updated; SEARCH me USING PRIMARY KEY (dialog_id=? AND user_id=?) LEFT-JOIN
   */
  private visiblePage(userId: number, query: DialogQuery, { filtered, filterParams }: Filters): { page: string; params: SqlValue[] } {
    return {
      page: `FROM dialogs d LEFT JOIN dialog_occupants me ON me.dialog_id = d.id AND me.user_id = ?
         WHERE (d.type = 1 OR me.user_id IS NOT NULL) AND ${NOT_HIDDEN('d')}${filtered}
         ORDER BY ${SORT_COLUMNS[query.sortField ?? 'updated_at']} ${direction(query)} NULLS LAST, d.id ${direction(query)}
         LIMIT (? + 0) OFFSET (? + 0)`, // see PAGE in sqlMessages.ts
      params: [userId, userId, ...filterParams, query.limit, query.skip],
    };
  }

  /**
   * How many dialogs visiblePage pages through. Counted from the user's occupant rows plus the public
   * dialogs they do not occupy (both by index), so it costs the user's dialogs, not every dialog on
   * the server. Without filters the hidden ones are subtracted (few) instead of looked up for each.
   */
  private countVisible(userId: number, { filtered, filterParams }: Filters): number {
    const publicNotOccupied = 'p.type = 1 AND NOT EXISTS (SELECT 1 FROM dialog_occupants o WHERE o.dialog_id = p.id AND o.user_id = ?1)';
    const sql =
      filtered === ''
        ? `SELECT (SELECT count(*) FROM dialog_occupants WHERE user_id = ?1)
             + (SELECT count(*) FROM dialogs p WHERE ${publicNotOccupied})
             - (SELECT count(*) FROM hidden_dialogs h WHERE h.user_id = ?1 AND (
                  EXISTS (SELECT 1 FROM dialog_occupants o WHERE o.dialog_id = h.dialog_id AND o.user_id = ?1)
                  OR EXISTS (SELECT 1 FROM dialogs p WHERE p.id = h.dialog_id AND p.type = 1))) AS n`
        : `SELECT count(*) AS n FROM (
             SELECT dialog_id AS id FROM dialog_occupants WHERE user_id = ?1
             UNION ALL
             SELECT p.id FROM dialogs p WHERE ${publicNotOccupied}
           ) v
           WHERE NOT EXISTS (SELECT 1 FROM hidden_dialogs h WHERE h.user_id = ?1 AND h.dialog_id = v.id)
             AND EXISTS (SELECT 1 FROM dialogs d WHERE d.id = v.id${filtered})`;
    return this.db.prepare(sql).get<{ n: number }>([userId, ...filterParams])?.n ?? 0;
  }

  updateDialog(id: string, changes: DialogChanges): DialogRecord {
    this.forget(id);
    return this.db.transaction(() => {
      const dialog = this.requireDialog(id);
      const data = changes.data === undefined ? dialog.data : mergeData(dialog.data, changes.data);
      this.db
        .prepare('UPDATE dialogs SET name = ?, photo = ?, data = ?, updated_at = ? WHERE id = ?')
        .run([
          changes.name ?? dialog.name,
          changes.photo === undefined ? dialog.photo : changes.photo,
          data ? JSON.stringify(data) : null,
          this.now(),
          id,
        ]);
      const add = this.db.prepare('INSERT OR IGNORE INTO dialog_occupants (dialog_id, user_id) VALUES (?, ?)');
      for (const userId of changes.addOccupants ?? []) add.run([id, userId]);
      const remove = this.db.prepare('DELETE FROM dialog_occupants WHERE dialog_id = ? AND user_id = ?');
      for (const userId of changes.removeOccupants ?? []) remove.run([id, userId]);
      this.forget(id);
      return this.requireDialog(id);
    });
  }

  hideDialog(userId: number, dialogId: string): void {
    this.db.prepare('INSERT OR IGNORE INTO hidden_dialogs (dialog_id, user_id) VALUES (?, ?)').run([dialogId, userId]);
  }

  deleteDialog(id: string): void {
    // Messages, occupants, marks and hidden rows go with it (ON DELETE CASCADE).
    this.db.prepare('DELETE FROM dialogs WHERE id = ?').run([id]);
    // Also the pair's id, if it was a private dialog: the next message to that pair makes a new one.
    this.forgetAll();
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

  notificationsEnabled(userId: number, dialogId: string): boolean | undefined {
    const row = this.db
      .prepare('SELECT notifications_enabled FROM dialog_occupants WHERE dialog_id = ? AND user_id = ?')
      .get<{ notifications_enabled: number }>([dialogId, userId]);
    return row && row.notifications_enabled === 1;
  }

  setNotificationsEnabled(userId: number, dialogId: string, enabled: boolean): void {
    this.db
      .prepare('UPDATE dialog_occupants SET notifications_enabled = ? WHERE dialog_id = ? AND user_id = ?')
      .run([enabled ? 1 : 0, dialogId, userId]);
  }

  private insertDialog(
    id: string,
    type: DialogType,
    ownerId: number,
    occupants: number[],
    extra: { name: string | null; photo: string | null; data: Record<string, unknown> | null; privatePair: string | null },
  ): void {
    this.forget(id);
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO dialogs (id, type, owner_id, name, photo, is_join_required, data, private_pair, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run([id, type, ownerId, extra.name, extra.photo, type === 1 ? 1 : 0, extra.data ? JSON.stringify(extra.data) : null, extra.privatePair, now, now]);
    const insert = this.db.prepare('INSERT INTO dialog_occupants (dialog_id, user_id) VALUES (?, ?)');
    for (const userId of occupants) insert.run([id, userId]);
  }

  /**
   * Each dialog's occupant ids, ascending: one query for a whole page of dialogs, answering one JSON
   * text (`{"<dialog id>":[ids…],…}`) rather than a row per occupant across the WASM boundary.
   */
  private occupantsOf(...dialogIds: string[]): Map<string, number[]> {
    const text =
      this.db
        .prepare(
          `SELECT '{' || group_concat(json_quote(dialog_id) || ':[' || ids || ']', ',') || '}' AS occupants
           FROM (SELECT dialog_id, group_concat(user_id, ',' ORDER BY user_id) AS ids
                 FROM dialog_occupants WHERE dialog_id IN (SELECT value FROM json_each(?)) GROUP BY dialog_id)`,
        )
        .get<{ occupants: string | null }>([JSON.stringify(dialogIds)])?.occupants ?? null;
    const byDialog = text === null ? {} : (JSON.parse(text) as Record<string, number[]>);
    return new Map<string, number[]>(dialogIds.map((id) => [id, Object.hasOwn(byDialog, id) ? byDialog[id] : []]));
  }

  private requireDialog(id: string): DialogRecord {
    const dialog = this.getDialog(id);
    if (!dialog) throw new Error(`Expected dialog ${id} to exist`);
    return dialog;
  }
}

function toDialog(row: DialogRow, occupants: Map<string, number[]>): DialogRecord {
  return {
    id: row.id,
    type: row.type,
    ownerId: row.owner_id,
    name: row.name,
    photo: row.photo,
    occupantIds: occupants.get(row.id) ?? [],
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

/** The WHERE conditions of a query's filters (each starting with AND) and their parameters. */
interface Filters {
  filtered: string;
  filterParams: SqlValue[];
}

function filtersOf(query: DialogQuery): Filters {
  const filters: string[] = [];
  const filterParams: SqlValue[] = [];
  addFilterConditions(query.filters ?? [], COLUMNS, filters, filterParams);
  addCustomFilterConditions(query.dataFilters ?? [], 'd.data', filters, filterParams);
  return { filtered: filters.map((f) => ` AND ${f}`).join(''), filterParams };
}

function direction(query: DialogQuery): 'ASC' | 'DESC' {
  return query.sortAscending ? 'ASC' : 'DESC';
}

function privatePair(userA: number, userB: number): string {
  return userA < userB ? `${userA}:${userB}` : `${userB}:${userA}`;
}

function mergeData(current: Record<string, unknown> | null, changes: Record<string, unknown>): Record<string, unknown> | null {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return Object.keys(merged).length > 0 ? merged : null;
}
