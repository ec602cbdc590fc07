// The chat data the local server keeps, as one domain API over SQL. REST routes and XMPP modules
// both go through it, so a rule (one private dialog per pair, last_message and unread counters
// moved in the same transaction as the message) lives in exactly one place.
import type { DialogType, QBAttachment } from '../../shared/models';

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
  customData?: string;
  tags?: string;
}

/** A session token lives this long after its last use, REST or chat login (protocol spec §2.4). */
export const SESSION_TTL_MS = 2 * 60 * 60 * 1000;

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

export interface NewMessage {
  dialogId: string;
  senderId: number;
  body: string | null;
  dateSent: number; // unix seconds
  attachments?: QBAttachment[];
  customParams?: Record<string, string>;
  markable?: boolean;
  /** Set when the id must match one already announced (for example an XMPP stanza id). */
  id?: string;
}

export interface DialogQuery {
  limit: number;
  skip: number;
  types?: DialogType[];
  /** Only these dialog ids (the SDK fetches one dialog as a list filtered by `_id`). */
  ids?: string[];
  sortField?: 'last_message_date_sent' | 'created_at' | 'updated_at' | 'name' | '_id';
  sortAscending?: boolean;
}

export interface MessageQuery {
  limit: number;
  skip: number;
  dateSentGt?: number;
  dateSentLt?: number;
  sortAscending?: boolean; // by date_sent then _id; default true
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
  sortField?: UserField; // default id
  sortAscending?: boolean; // default true
}

/** A unique field (login, email) is taken. */
export class StoreConflictError extends Error {
  constructor(readonly field: string) {
    super(`${field} has already been taken`);
  }
}

export interface ChatStore {
  // users
  createUser(input: NewUser): UserRecord;
  getUser(id: number): UserRecord | undefined;
  findUserByLogin(login: string): UserRecord | undefined;
  findUserByEmail(email: string): UserRecord | undefined;
  verifyPassword(userId: number, password: string): boolean;
  countUsers(): number;
  listUsers(query: UserQuery): { total: number; items: UserRecord[] };

  // sessions
  createSession(appId: number, userId: number, nonce: number, ts: number, ttlMs: number): SessionRecord;
  /** A live session for the token, its expiry slid forward by ttlMs; undefined when unknown or expired. */
  touchSession(token: string, ttlMs: number): SessionRecord | undefined;
  setSessionUser(token: string, userId: number): void;
  deleteSession(token: string): void;
  /** True when this (appId, nonce, ts) was already used to create a session. */
  nonceSeen(appId: number, nonce: number, ts: number): boolean;

  // dialogs
  createDialog(input: NewDialog): DialogRecord;
  getDialog(id: string): DialogRecord | undefined;
  findPrivateDialog(userA: number, userB: number): DialogRecord | undefined;
  /** The private dialog for the pair, created when missing (the first 1:1 message creates it). */
  ensurePrivateDialog(userA: number, userB: number): DialogRecord;
  listDialogs(userId: number, query: DialogQuery): { total: number; items: DialogRecord[] };
  unreadCount(userId: number, dialogId: string): number;

  // messages
  /** Stores the message, moves the dialog's last_message* and every other occupant's unread count, atomically. */
  createMessage(input: NewMessage): MessageRecord;
  getMessage(id: string): MessageRecord | undefined;
  listMessages(dialogId: string, query: MessageQuery): MessageRecord[];
  /** Adds userId to read_ids (and delivered_ids) of the dialog's messages; all of them when ids is omitted. */
  markRead(userId: number, dialogId: string, messageIds?: string[]): number;
  markDelivered(userId: number, dialogId: string, messageIds?: string[]): number;

  close(): void;
}
