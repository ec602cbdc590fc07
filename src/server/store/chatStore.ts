// The chat data the local server keeps, as one domain API over SQL. REST routes and XMPP modules
// both go through it, so a rule (one private dialog per pair, last_message and unread counters
// moved in the same transaction as the message) lives in exactly one place.
import type { DialogType, QBAttachment } from '../../shared/models';
import type { CustomFilter, Filter } from './filters';

export type { CustomFilter, Filter, FilterOperator, FilterValue } from './filters';

export interface UserRecord {
  id: number;
  login: string | null;
  email: string | null;
  fullName: string | null;
  phone: string | null;
  website: string | null;
  externalUserId: number | null;
  facebookId: string | null;
  blobId: number | null;
  customData: string | null;
  tags: string | null;
  createdAt: number; // unix ms
  updatedAt: number;
  lastRequestAt: number | null;
}

export interface NewUser {
  login?: string;
  email?: string;
  password: string;
  fullName?: string;
  phone?: string;
  website?: string;
  externalUserId?: number;
  facebookId?: string;
  blobId?: number;
  customData?: string;
  tags?: string;
}

/** What PUT /users/{id}.json may change; null clears an optional field, undefined leaves it. */
export interface UserChanges {
  login?: string | null;
  email?: string | null;
  password?: string;
  fullName?: string | null;
  phone?: string | null;
  website?: string | null;
  externalUserId?: number | null;
  facebookId?: string | null;
  blobId?: number | null;
  customData?: string | null;
  tags?: string | null;
}

/** The user columns that must be unique; a clash is a StoreConflictError naming the REST field. */
export type UniqueUserField = 'login' | 'email' | 'external_user_id' | 'facebook_id';

/** A session token lives this long after its last use, REST or chat login (protocol spec §2.4). */
export const SESSION_TTL_MS = 2 * 60 * 60 * 1000;

/** What createSession issues: 20 random bytes as lower-case hex (the cloud's tokens look the same). */
export const SESSION_TOKEN_PATTERN = /^[0-9a-f]{40}$/;

export interface SessionRecord {
  id: number;
  token: string;
  appId: number;
  userId: number; // 0 for an application session
  nonce: number;
  ts: number;
  createdAt: number; // unix ms
  updatedAt: number;
  expiresAt: number; // unix ms; slides forward on use
}

export interface DialogRecord {
  id: string;
  type: DialogType;
  ownerId: number;
  name: string | null;
  photo: string | null;
  occupantIds: number[]; // ascending
  isJoinRequired: 0 | 1;
  lastMessage: string | null;
  lastMessageDateSent: number | null;
  lastMessageId: string | null;
  lastMessageUserId: number | null;
  data: Record<string, unknown> | null;
  createdAt: number; // unix ms
  updatedAt: number;
}

/** A dialog as it appears in one user's list, with that user's unread count (0 where they are no occupant). */
export interface ListedDialog extends DialogRecord {
  unreadCount: number;
}

export interface NewDialog {
  type: DialogType;
  ownerId: number;
  occupantIds: number[]; // besides the owner
  name?: string | null;
  photo?: string | null;
  data?: Record<string, unknown> | null;
}

export interface MessageRecord {
  id: string;
  dialogId: string;
  senderId: number;
  recipientId: number; // the opponent in a private dialog, 0 in a group
  body: string | null;
  dateSent: number; // unix seconds
  attachments: QBAttachment[];
  customParams: Record<string, string>;
  markable: boolean;
  readIds: number[];
  deliveredIds: number[];
  createdAt: number; // unix ms
  updatedAt: number;
}

/** Where a new message goes: a dialog, or the private dialog with one user (created with the message). */
export type MessageTarget = { dialogId: string } | { privateWith: number };

export type NewMessage = MessageTarget & {
  senderId: number;
  body: string | null;
  dateSent: number; // unix seconds
  attachments?: QBAttachment[];
  customParams?: Record<string, string>;
  markable?: boolean;
  /** Set when the id must match one already announced (for example an XMPP stanza id). */
  id?: string;
  /**
   * An id to take when no message has it yet (an XMPP stanza id that is an ObjectId); when it is taken
   * the message gets a new id and keeps this one as its stanzaId. Ignored when `id` is set.
   */
  preferredId?: string;
  /**
   * The XMPP stanza id when it could not become the id (not an ObjectId, or taken), so that a chat
   * marker citing it still finds the message.
   */
  stanzaId?: string;
};

/** What changes a dialog: plain fields replaced, custom data merged, occupants added or removed. */
export interface DialogChanges {
  name?: string;
  photo?: string | null;
  /** Merged into the existing custom data (a field set to null is removed). */
  data?: Record<string, unknown>;
  addOccupants?: number[];
  removeOccupants?: number[];
}

export type DialogField = '_id' | 'type' | 'name' | 'photo' | 'user_id' | 'last_message' | 'last_message_date_sent' | 'last_message_user_id' | 'created_at' | 'updated_at' | 'occupants_ids';

export interface DialogQuery {
  limit: number;
  skip: number;
  /** Field filters, plus `data.<field>` filters on the custom data. */
  filters?: Array<Filter<DialogField>>;
  dataFilters?: CustomFilter[];
  sortField?: Exclude<DialogField, 'occupants_ids'>; // default updated_at, newest first
  sortAscending?: boolean;
}

export type MessageField = '_id' | 'message' | 'date_sent' | 'sender_id' | 'recipient_id' | 'created_at' | 'updated_at' | 'attachments.type' | 'read_ids' | 'delivered_ids';

export interface MessageQuery {
  limit: number;
  skip: number;
  filters?: Array<Filter<MessageField>>;
  /** Filters on the messages' custom parameters. */
  customFilters?: CustomFilter[];
  sortField?: Exclude<MessageField, 'attachments.type' | 'read_ids' | 'delivered_ids'>; // default date_sent
  sortAscending?: boolean; // default true; ties broken by _id in the same direction
  /** Messages this user deleted for themself are left out. */
  viewerId?: number;
}

/** Columns `GET /users.json` can filter and order by; dates are unix ms, as in UserRecord. */
export type UserField =
  | 'id'
  | 'login'
  | 'email'
  | 'full_name'
  | 'phone'
  | 'website'
  | 'external_user_id'
  | 'created_at'
  | 'updated_at'
  | 'last_request_at';

export type UserFilterOperator = 'gt' | 'lt' | 'ge' | 'le' | 'eq' | 'ne' | 'between' | 'in';

export interface UserFilter {
  field: UserField;
  operator: UserFilterOperator;
  /** One value, two for `between`, any number for `in`. */
  values: Array<string | number>;
}

export interface UserQuery {
  limit: number;
  skip: number;
  filters?: UserFilter[];
  /** Full name containing this text, any case (GET /users/by_full_name.json). */
  fullNameContains?: string;
  /** Having at least one of these tags (GET /users/by_tags.json). */
  anyTags?: string[];
  sortField?: UserField; // default id
  sortAscending?: boolean; // default true
}

/** A unique field (login, email, …) is taken. */
export class StoreConflictError extends Error {
  constructor(readonly field: UniqueUserField) {
    super(`${field} has already been taken`);
  }
}

export interface UserStore {
  createUser(input: NewUser): UserRecord;
  getUser(id: number): UserRecord | undefined;
  findUserByLogin(login: string): UserRecord | undefined;
  findUserByEmail(email: string): UserRecord | undefined;
  findUserBy(field: 'facebook_id' | 'external_user_id' | 'phone', value: string | number): UserRecord | undefined;
  /** Asynchronous because the hash is deliberately slow: it must not stall the other connections. */
  verifyPassword(userId: number, password: string): Promise<boolean>;
  countUsers(): number;
  listUsers(query: UserQuery): { total: number; items: UserRecord[] };
  /** Throws StoreConflictError for a taken unique field; changes nothing then. */
  updateUser(id: number, changes: UserChanges): UserRecord;
  /** Removes the user and its sessions; its messages and dialogs stay, as in the cloud. */
  deleteUser(id: number): void;
}

export interface SessionStore {
  createSession(appId: number, userId: number, nonce: number, ts: number, ttlMs: number): SessionRecord;
  /**
   * A live session for the token, its expiry slid to ttlMs from now (in steps of 1/120 of ttlMs, so
   * possibly that much earlier); undefined when unknown or expired.
   */
  touchSession(token: string, ttlMs: number): SessionRecord | undefined;
  setSessionUser(token: string, userId: number): void;
  deleteSession(token: string): void;
  /** Records that (appId, nonce, ts) is used; false when it already was (a replayed session request). */
  claimNonce(appId: number, nonce: number, ts: number): boolean;
}

/** What saving a message needs of its dialog; a message never changes it, so the store may cache it. */
export interface DialogMembership {
  id: string;
  type: DialogType;
  /** Ascending. */
  occupantIds: readonly number[];
}

export interface DialogStore {
  createDialog(input: NewDialog): DialogRecord;
  getDialog(id: string): DialogRecord | undefined;
  /** The dialog's type and occupants (cheap: cached), or undefined when there is no such dialog. */
  dialogMembership(id: string): DialogMembership | undefined;
  findPrivateDialog(userA: number, userB: number): DialogRecord | undefined;
  /** The private dialog for the pair, created when missing; `created` says which. Throws for userA === userB. */
  ensurePrivateDialog(userA: number, userB: number): { dialog: DialogRecord; created: boolean };
  /** Dialogs the user occupies plus every public one, leaving out those the user deleted for themself. */
  listDialogs(userId: number, query: DialogQuery): { total: number; items: ListedDialog[] };
  /**
   * The same page as the REST JSON array text (each dialog as the user sees it), built by the store
   * in one piece; undefined when a dialog on it must be built by rest/dialogJson instead (custom data
   * with a key that JavaScript would move: an integer-like one).
   */
  listDialogsJson(userId: number, query: DialogQuery, rooms: RoomNaming): DialogPageJson | undefined;
  updateDialog(id: string, changes: DialogChanges): DialogRecord;
  /** Deletes the dialog for this user only: it disappears from their list until a new message arrives. */
  hideDialog(userId: number, dialogId: string): void;
  /** Deletes the dialog and its messages for everyone. */
  deleteDialog(id: string): void;
  unreadCount(userId: number, dialogId: string): number;
  /** The user's unread messages over every dialog. */
  totalUnreadCount(userId: number): number;
  /** Push notifications for offline messages (on unless switched off); undefined when not an occupant. */
  notificationsEnabled(userId: number, dialogId: string): boolean | undefined;
  setNotificationsEnabled(userId: number, dialogId: string, enabled: boolean): void;
}

/** What a group dialog's xmpp_room_jid is made of: `<appId>_<dialog id>@<mucDomain>`. */
export interface RoomNaming {
  appId: number;
  mucDomain: string;
}

/** A page of dialogs as JSON text (see DialogStore.listDialogsJson), with the count of them all. */
export interface DialogPageJson {
  total: number;
  items: string;
}

/** A page of messages as JSON text (see MessageStore.listMessagesJson). */
export interface MessagePageJson {
  items: string;
  unmarkedIds: string[];
}

export interface MessageStore {
  /**
   * Stores the message, moves the dialog's last_message* and every other occupant's unread count, atomically;
   * with `privateWith` the pair's private dialog is created in the same transaction when missing.
   */
  createMessage(input: NewMessage): MessageRecord;
  /** Stores the messages in order, all or none, ending exactly as createMessage for each would (see messageBatch). */
  createMessages(inputs: readonly NewMessage[]): MessageRecord[];
  /**
   * Runs fn in one transaction in which createMessage writes only the message row; each dialog's
   * last_message*, unread counts and hidden marks move once, for all of the batch's messages, just
   * before it commits (so reads of those inside fn see them unmoved). All or nothing: if any
   * createMessage in it fails, nothing of the batch is kept, even when fn caught the error.
   */
  messageBatch<T>(fn: () => T): T;
  /** Replaces a message's text (and the dialog's last_message when it is the last one). */
  editMessage(id: string, body: string): MessageRecord;
  getMessage(id: string): MessageRecord | undefined;
  listMessages(dialogId: string, query: MessageQuery): MessageRecord[];
  /**
   * The same page as the REST JSON array text, built by the store in one piece; undefined when a
   * message on it must be built by rest/messageJson instead (a custom key named like a model key).
   * unmarkedIds: the listed messages from others that query.viewerId has not both read and received.
   */
  listMessagesJson(dialogId: string, query: MessageQuery): MessagePageJson | undefined;
  countMessages(dialogId: string, query: Omit<MessageQuery, 'limit' | 'skip'>): number;
  /** Whether the user deleted this message for themself. */
  isMessageHidden(userId: number, messageId: string): boolean;
  /**
   * Adds userId to read_ids (and delivered_ids) of the dialog's messages from others; all of them when
   * ids is omitted. An id may be the stored `_id` or the stanza id the message was sent with.
   * Returns how many messages were newly marked.
   */
  markRead(userId: number, dialogId: string, messageIds?: string[]): number;
  markDelivered(userId: number, dialogId: string, messageIds?: string[]): number;
  /** Takes userId out of read_ids again (`read=0`); the messages count as unread once more. */
  markUnread(userId: number, dialogId: string, messageIds?: string[]): number;
  /** Deletes messages of one dialog for this user only; unread ones stop counting. */
  hideMessages(userId: number, dialogId: string, messageIds: string[]): void;
  /** Deletes messages of one dialog for everyone, moving last_message* and the unread counters with them. */
  deleteMessages(dialogId: string, messageIds: string[]): void;
}

// ---- roster (RFC 6121 roster and subscriptions, XEP-0237 versions, XEP-0012 last seen) ----

export type RosterSubscription = 'none' | 'to' | 'from' | 'both';

/** One user's view of one contact (a local user). */
export interface RosterItemRecord {
  contactId: number;
  name: string | null;
  groups: string[];
  subscription: RosterSubscription;
  /** The user asked to see the contact's presence and waits (`ask="subscribe"`). */
  askOut: boolean;
  /** The contact asked to see the user's presence and waits for an answer. */
  pendingIn: boolean;
  /** Shown in the roster; false for a stranger's pending request (RFC 6121 §3.1.3). */
  listed: boolean;
}

export interface RosterStore {
  /** The roster version (XEP-0237): moves whenever a listed item changes or goes. */
  rosterVersion(userId: number): number;
  /** The listed items, by contact id. */
  listRoster(userId: number): RosterItemRecord[];
  /** Contacts whose subscription requests wait for this user's answer, oldest first. */
  pendingSubscribers(userId: number): number[];
  getRosterItem(userId: number, contactId: number): RosterItemRecord | undefined;
  /** Creates or replaces the item; returns the roster version after the write. */
  putRosterItem(userId: number, item: RosterItemRecord): number;
  /** Returns the roster version after the removal. */
  deleteRosterItem(userId: number, contactId: number): number;
  /** When the user's last resource went unavailable (unix ms). */
  recordLastSeen(userId: number, at: number): void;
  /** Unix ms of recordLastSeen, undefined when the user never was online. */
  lastSeen(userId: number): number | undefined;
}

// ---- message features (offline storage XEP-0160, privacy lists XEP-0016, corrections XEP-0308) ----

/** A stanza waiting for its recipient's next available presence. */
export interface OfflineRecord {
  /** The stanza as the XMPP side serialized it; the store does not read it. */
  stanza: string;
  queuedAt: number; // unix ms
}

export interface OfflineStore {
  /** Appends to the user's queue; false (nothing stored) when it already holds `limit` stanzas. */
  queueOffline(userId: number, stanza: string, limit: number): boolean;
  /** Removes and returns the user's whole queue, oldest first. */
  takeOffline(userId: number): OfflineRecord[];
}

/** The stanza kinds a privacy list item can name (XEP-0016 §2.1); an item naming none applies to all. */
export type PrivacyStanzaKind = 'message' | 'presence-in' | 'presence-out' | 'iq';

export interface PrivacyItemRecord {
  /** Absent: the fall-through item, matching everyone. */
  type?: 'jid' | 'group' | 'subscription';
  value?: string;
  action: 'allow' | 'deny';
  order: number;
  /** Empty: every kind, in both directions. */
  stanzas: PrivacyStanzaKind[];
}

export interface PrivacyStore {
  privacyListNames(userId: number): string[];
  /** Items in ascending order; undefined when the user has no list by that name. */
  getPrivacyList(userId: number, name: string): PrivacyItemRecord[] | undefined;
  /** Creates or replaces the list. */
  putPrivacyList(userId: number, name: string, items: PrivacyItemRecord[]): void;
  /** Removes the list (and the default choice when it named it); false when there was none. */
  deletePrivacyList(userId: number, name: string): boolean;
  defaultPrivacyList(userId: number): string | undefined;
  /** undefined declines the default; the name must be one of the user's lists. */
  setDefaultPrivacyList(userId: number, name: string | undefined): void;
}

export interface CorrectionStore {
  /** The message a stanza id was kept for when it could not become the `_id` (NewMessage.stanzaId). */
  findMessageByStanzaId(dialogId: string, stanzaId: string): MessageRecord | undefined;
}

export interface ChatStore extends UserStore, SessionStore, DialogStore, MessageStore, RosterStore, OfflineStore, PrivacyStore, CorrectionStore {
  /** Runs fn in one transaction (nested calls become savepoints): all of its writes commit together or none do. */
  transaction<T>(fn: () => T): T;
  /**
   * Moves with every write and rollback, whichever method (or module) made it: while it stays the
   * same, anything read from the store reads the same again.
   */
  dataVersion(): number;
  close(): void;
}
