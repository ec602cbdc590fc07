// ChatStore on SQLite: opens and migrates the database, then puts one object in front of the
// aggregates (users, sessions, dialogs, messages), each in its own module over the same connection,
// so a transaction in one (a message opening its private dialog) may call into another.
import type {
  ChatStore,
  DialogChanges,
  DialogMembership,
  DialogPageJson,
  DialogQuery,
  DialogRecord,
  ListedDialog,
  MessagePageJson,
  MessageQuery,
  MessageRecord,
  NewDialog,
  NewMessage,
  NewUser,
  OfflineRecord,
  PrivacyItemRecord,
  RoomNaming,
  RosterItemRecord,
  SessionRecord,
  UserChanges,
  UserQuery,
  UserRecord,
} from './chatStore';
import type { SqlDriver } from './driver';
import { migrate } from './schema';
import { SqlDialogs } from './sqlDialogs';
import { SqlMessages } from './sqlMessages';
import { SqlOffline } from './sqlOffline';
import { SqlPrivacy } from './sqlPrivacy';
import { SqlRoster } from './sqlRoster';
import { SqlSessions } from './sqlSessions';
import { SqlUsers } from './sqlUsers';
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

class SqliteChatStore implements ChatStore {
  private readonly users: SqlUsers;
  private readonly sessions: SqlSessions;
  private readonly dialogs: SqlDialogs;
  private readonly messages: SqlMessages;
  private readonly roster: SqlRoster;
  private readonly offline: SqlOffline;
  private readonly privacy: SqlPrivacy;

  constructor(
    private readonly db: SqlDriver,
    now: () => number,
  ) {
    this.users = new SqlUsers(db, now);
    this.sessions = new SqlSessions(db, now);
    this.dialogs = new SqlDialogs(db, now);
    this.messages = new SqlMessages(db, now, this.dialogs);
    this.roster = new SqlRoster(db, now);
    this.offline = new SqlOffline(db, now);
    this.privacy = new SqlPrivacy(db);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn);
  }

  dataVersion(): number {
    return this.db.writeVersion();
  }

  // users
  createUser(input: NewUser): UserRecord {
    return this.users.createUser(input);
  }
  getUser(id: number): UserRecord | undefined {
    return this.users.getUser(id);
  }
  findUserByLogin(login: string): UserRecord | undefined {
    return this.users.findUserByLogin(login);
  }
  findUserByEmail(email: string): UserRecord | undefined {
    return this.users.findUserByEmail(email);
  }
  findUserBy(field: 'facebook_id' | 'external_user_id' | 'phone', value: string | number): UserRecord | undefined {
    return this.users.findUserBy(field, value);
  }
  verifyPassword(userId: number, password: string): Promise<boolean> {
    return this.users.verifyPassword(userId, password);
  }
  countUsers(): number {
    return this.users.countUsers();
  }
  listUsers(query: UserQuery): { total: number; items: UserRecord[] } {
    return this.users.listUsers(query);
  }
  updateUser(id: number, changes: UserChanges): UserRecord {
    return this.users.updateUser(id, changes);
  }
  deleteUser(id: number): void {
    this.users.deleteUser(id);
    this.sessions.forgetUser(id);
  }

  // sessions
  createSession(appId: number, userId: number, nonce: number, ts: number, ttlMs: number): SessionRecord {
    return this.sessions.createSession(appId, userId, nonce, ts, ttlMs);
  }
  touchSession(token: string, ttlMs: number): SessionRecord | undefined {
    return this.sessions.touchSession(token, ttlMs);
  }
  setSessionUser(token: string, userId: number): void {
    this.sessions.setSessionUser(token, userId);
  }
  deleteSession(token: string): void {
    this.sessions.deleteSession(token);
  }
  claimNonce(appId: number, nonce: number, ts: number): boolean {
    return this.sessions.claimNonce(appId, nonce, ts);
  }

  // dialogs
  createDialog(input: NewDialog): DialogRecord {
    return this.dialogs.createDialog(input);
  }
  getDialog(id: string): DialogRecord | undefined {
    return this.dialogs.getDialog(id);
  }
  dialogMembership(id: string): DialogMembership | undefined {
    return this.dialogs.dialogMembership(id);
  }
  findPrivateDialog(userA: number, userB: number): DialogRecord | undefined {
    return this.dialogs.findPrivateDialog(userA, userB);
  }
  ensurePrivateDialog(userA: number, userB: number): { dialog: DialogRecord; created: boolean } {
    return this.dialogs.ensurePrivateDialog(userA, userB);
  }
  listDialogs(userId: number, query: DialogQuery): { total: number; items: ListedDialog[] } {
    return this.dialogs.listDialogs(userId, query);
  }
  listDialogsJson(userId: number, query: DialogQuery, rooms: RoomNaming): DialogPageJson | undefined {
    return this.dialogs.listDialogsJson(userId, query, rooms);
  }
  updateDialog(id: string, changes: DialogChanges): DialogRecord {
    return this.dialogs.updateDialog(id, changes);
  }
  hideDialog(userId: number, dialogId: string): void {
    this.dialogs.hideDialog(userId, dialogId);
  }
  deleteDialog(id: string): void {
    this.dialogs.deleteDialog(id);
  }
  unreadCount(userId: number, dialogId: string): number {
    return this.dialogs.unreadCount(userId, dialogId);
  }
  totalUnreadCount(userId: number): number {
    return this.dialogs.totalUnreadCount(userId);
  }
  notificationsEnabled(userId: number, dialogId: string): boolean | undefined {
    return this.dialogs.notificationsEnabled(userId, dialogId);
  }
  setNotificationsEnabled(userId: number, dialogId: string, enabled: boolean): void {
    this.dialogs.setNotificationsEnabled(userId, dialogId, enabled);
  }

  // messages
  createMessage(input: NewMessage): MessageRecord {
    return this.messages.createMessage(input);
  }
  createMessages(inputs: readonly NewMessage[]): MessageRecord[] {
    return this.messages.createMessages(inputs);
  }
  messageBatch<T>(fn: () => T): T {
    return this.messages.messageBatch(fn);
  }
  editMessage(id: string, body: string): MessageRecord {
    return this.messages.editMessage(id, body);
  }
  getMessage(id: string): MessageRecord | undefined {
    return this.messages.getMessage(id);
  }
  listMessages(dialogId: string, query: MessageQuery): MessageRecord[] {
    return this.messages.listMessages(dialogId, query);
  }
  listMessagesJson(dialogId: string, query: MessageQuery): MessagePageJson | undefined {
    return this.messages.listMessagesJson(dialogId, query);
  }
  countMessages(dialogId: string, query: Omit<MessageQuery, 'limit' | 'skip'>): number {
    return this.messages.countMessages(dialogId, query);
  }
  isMessageHidden(userId: number, messageId: string): boolean {
    return this.messages.isMessageHidden(userId, messageId);
  }
  markRead(userId: number, dialogId: string, messageIds?: string[]): number {
    return this.messages.markRead(userId, dialogId, messageIds);
  }
  markDelivered(userId: number, dialogId: string, messageIds?: string[]): number {
    return this.messages.markDelivered(userId, dialogId, messageIds);
  }
  markUnread(userId: number, dialogId: string, messageIds?: string[]): number {
    return this.messages.markUnread(userId, dialogId, messageIds);
  }
  hideMessages(userId: number, dialogId: string, messageIds: string[]): void {
    this.messages.hideMessages(userId, dialogId, messageIds);
  }
  deleteMessages(dialogId: string, messageIds: string[]): void {
    this.messages.deleteMessages(dialogId, messageIds);
  }

  // roster
  rosterVersion(userId: number): number {
    return this.roster.rosterVersion(userId);
  }
  listRoster(userId: number): RosterItemRecord[] {
    return this.roster.listRoster(userId);
  }
  pendingSubscribers(userId: number): number[] {
    return this.roster.pendingSubscribers(userId);
  }
  getRosterItem(userId: number, contactId: number): RosterItemRecord | undefined {
    return this.roster.getRosterItem(userId, contactId);
  }
  putRosterItem(userId: number, item: RosterItemRecord): number {
    return this.roster.putRosterItem(userId, item);
  }
  deleteRosterItem(userId: number, contactId: number): number {
    return this.roster.deleteRosterItem(userId, contactId);
  }
  recordLastSeen(userId: number, at: number): void {
    this.roster.recordLastSeen(userId, at);
  }
  lastSeen(userId: number): number | undefined {
    return this.roster.lastSeen(userId);
  }

  // offline storage, privacy lists, corrections
  queueOffline(userId: number, stanza: string, limit: number): boolean {
    return this.offline.queueOffline(userId, stanza, limit);
  }
  takeOffline(userId: number): OfflineRecord[] {
    return this.offline.takeOffline(userId);
  }
  privacyListNames(userId: number): string[] {
    return this.privacy.privacyListNames(userId);
  }
  getPrivacyList(userId: number, name: string): PrivacyItemRecord[] | undefined {
    return this.privacy.getPrivacyList(userId, name);
  }
  putPrivacyList(userId: number, name: string, items: PrivacyItemRecord[]): void {
    this.privacy.putPrivacyList(userId, name, items);
  }
  deletePrivacyList(userId: number, name: string): boolean {
    return this.privacy.deletePrivacyList(userId, name);
  }
  defaultPrivacyList(userId: number): string | undefined {
    return this.privacy.defaultPrivacyList(userId);
  }
  setDefaultPrivacyList(userId: number, name: string | undefined): void {
    this.privacy.setDefaultPrivacyList(userId, name);
  }
  findMessageByStanzaId(dialogId: string, stanzaId: string): MessageRecord | undefined {
    return this.messages.findMessageByStanzaId(dialogId, stanzaId);
  }

  close(): void {
    this.db.close();
  }
}
