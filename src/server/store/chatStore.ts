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
  /** A live session for the token, its expiry slid forward by ttlMs; undefined when unknown or expired. */
  touchSession(token: string, ttlMs: number): SessionRecord | undefined;
  setSessionUser(token: string, userId: number): void;
  deleteSession(token: string): void;
  /** Records that (appId, nonce, ts) is used; false when it already was (a replayed session request). */
  claimNonce(appId: number, nonce: number, ts: number): boolean;
}

export interface DialogStore {
  createDialog(input: NewDialog): DialogRecord;
  getDialog(id: string): DialogRecord | undefined;
  findPrivateDialog(userA: number, userB: number): DialogRecord | undefined;
  /** The private dialog for the pair, created when missing; `created` says which. Throws for userA === userB. */
  ensurePrivateDialog(userA: number, userB: number): { dialog: DialogRecord; created: boolean };
  /** Dialogs the user occupies plus every public one, leaving out those the user deleted for themself. */
  listDialogs(userId: number, query: DialogQuery): { total: number; items: DialogRecord[] };
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

export interface MessageStore {
  /**
   * Stores the message, moves the dialog's last_message* and every other occupant's unread count, atomically;
   * with `privateWith` the pair's private dialog is created in the same transaction when missing.
   */
  createMessage(input: NewMessage): MessageRecord;
  /** Replaces a message's text (and the dialog's last_message when it is the last one). */
  editMessage(id: string, body: string): MessageRecord;
  getMessage(id: string): MessageRecord | undefined;
  listMessages(dialogId: string, query: MessageQuery): MessageRecord[];
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

export interface ChatStore extends UserStore, SessionStore, DialogStore, MessageStore {
  close(): void;
}
