// The typed message protocol between the extension host and its webviews (no runtime imports, so
// the browser bundles can use it). Three shapes travel:
//   webview → host   { kind: 'ready' }                              once, after the page has loaded
//   webview → host   { kind: 'request', seq, method, params }       answered by exactly one reply
//   host → webview   { kind: 'reply', seq, ok, result | error }
//   host → webview   { kind: 'notify', method, params }             snapshots and live appends
// A webview that was hidden and shown again says 'ready' again and gets a fresh snapshot, never a
// backlog of deltas.
import type { QBAttachment, QBDialog, QBMessage } from './models';

export type ConnectionState = 'offline' | 'connecting' | 'online' | 'reconnecting' | 'error';

/**
 * The names a protocol map declares, without the string index signature those maps carry only to
 * satisfy `Record<string, …>` constraints; otherwise every string would pass as a method name.
 */
export type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] } &
  string;

export interface RequestShape {
  params: unknown;
  result: unknown;
}

export type RequestMessage<R extends Record<string, RequestShape>> = {
  [K in keyof R & string]: { kind: 'request'; seq: number; method: K; params: R[K]['params'] };
}[keyof R & string];

export type ReplyMessage =
  | { kind: 'reply'; seq: number; ok: true; result: unknown }
  | { kind: 'reply'; seq: number; ok: false; error: string };

export type NotifyMessage<N extends Record<string, unknown>> = {
  [K in keyof N & string]: { kind: 'notify'; method: K; params: N[K] };
}[keyof N & string];

export interface ReadyMessage {
  kind: 'ready';
}

export type FromWebview<R extends Record<string, RequestShape>> = ReadyMessage | RequestMessage<R>;
export type ToWebview<N extends Record<string, unknown>> = ReplyMessage | NotifyMessage<N>;

// ---- conversation panel ----

export interface ConversationSnapshot {
  dialog: QBDialog;
  myUserId: number;
  /**
   * The signed-in user this panel was opened for; absent when it follows the primary user (the
   * profile's). The page keeps it in its saved state, so a restored panel acts as the same user.
   */
  userId?: number;
  /** Display names by user id, for senders. */
  names: Record<number, string>;
  /** Oldest first, ordered by date_sent then _id. */
  messages: QBMessage[];
  hasMore: boolean;
  connection: ConnectionState;
}

/** What a chat marker (spec §7.6) says about one message: `<received/>` or `<displayed/>`. */
export type MessageStatus = 'delivered' | 'read';

/** XEP-0085 chat states (spec §7.7); QuickBlox apps send composing and paused. */
export type ChatState = 'active' | 'composing' | 'paused' | 'inactive' | 'gone';

/** The chat states the conversation panel sends. */
export type TypingState = 'composing' | 'paused';

/** How a message is sent; every field is optional and the defaults are the plain composer's. */
export interface SendOptions {
  /** The app's own parameters: `<extraParams>` children over XMPP, top-level keys over REST. */
  customParams?: Record<string, string>;
  attachments?: QBAttachment[];
  /** Ask the recipient for delivered/read markers. Default true. */
  markable?: boolean;
  /** false: `save_to_history=0`, delivered but never stored (XMPP only). Default true. */
  saveToHistory?: boolean;
  /** `POST /chat/Message.json` with send_to_chat=1 instead of an XMPP stanza. Default false. */
  viaRest?: boolean;
}

/** A QuickBlox system notification (a `headline`, spec §7.8) about one dialog: shown live, never stored. */
export interface SystemNotice {
  /** The headline's stanza id. */
  id: string;
  senderId: number;
  body: string | null;
  /** unix seconds: when it arrived. */
  dateSent: number;
  /** Its `<extraParams>` besides `moduleIdentifier`. */
  params: Record<string, string>;
}

export interface ConversationNotifications {
  snapshot: ConversationSnapshot;
  /** Live messages (received or sent) for this dialog, oldest first. */
  messages: { messages: QBMessage[] };
  connection: { state: ConnectionState; detail?: string };
  /** `userId` has received (delivered) or displayed (read) message `messageId`. */
  status: { messageId: string; userId: number; status: MessageStatus };
  /** `userId`'s chat state in this dialog: composing shows "… is typing", anything else clears it. */
  typing: { userId: number; state: ChatState };
  /** `userId` (the sender) changed a message's text: our own edit, or their correction (XEP-0308). */
  edited: { messageId: string; userId: number; text: string };
  /** Messages deleted while the page shows them: by this page's request, or by someone else. */
  deleted: { messageIds: string[] };
  /** A system notification about this dialog. */
  system: { notice: SystemNotice };
  [method: string]: unknown;
}

/** What the host does for one message when its toolbar asks. */
export type MessageAction = 'inspectJson' | 'inspectStanza' | 'copyId';

export interface ConversationRequests {
  send: { params: { text: string; options?: SendOptions }; result: { id: string } };
  loadOlder: {
    params: { beforeDateSent: number; beforeId: string };
    result: { messages: QBMessage[]; hasMore: boolean };
  };
  /** Our chat state for the other occupant (private dialogs; a no-op elsewhere). */
  typing: { params: { state: TypingState }; result: null };
  /** Opens the message's JSON or stanza, or copies its id. */
  action: { params: { action: MessageAction; messageId: string }; result: null };
  /** Replaces the text of one of our messages. */
  edit: { params: { messageId: string; text: string }; result: null };
  /** Deletes for us, or for everyone, once the user confirms; `deleted` is false when they did not. */
  delete: { params: { messageId: string; forEveryone: boolean }; result: { deleted: boolean } };
  [method: string]: RequestShape;
}

// ---- stanza console ----

/** The stanza kind a console filter groups by. */
export type StanzaKind = 'message' | 'presence' | 'iq' | 'sm' | 'other';

export interface StanzaRecord {
  seq: number;
  /** unix ms */
  time: number;
  direction: 'in' | 'out';
  /** Which connection (user) it belongs to, e.g. `1001-1@localhost`. */
  connection: string;
  kind: StanzaKind;
  xml: string;
}

/** What the local server's router did with a stanza (src/server/xmpp/router.ts). */
export type ServerDecisionKind = 'routed' | 'stored' | 'queued' | 'rejected' | 'dropped-offline' | 'handled';

/** One decision of the local server, as the client received it from `GET /_local/stanzas`. */
export interface ServerDecision {
  /** The client's own numbering, in arrival order. */
  seq: number;
  /** unix ms, the server's clock */
  time: number;
  /** Seen from the server: `in` = a client sent it, `out` = the server delivered it to a client. */
  direction: 'in' | 'out';
  /** Full JID of that client. */
  session: string;
  /** The stanza as the server saw it (`from` stamped). */
  stanza: string;
  decision: ServerDecisionKind;
  /** Why, e.g. the error condition of a rejection. */
  detail?: string;
}

/** A direction filter value: the two of a connection, plus the server lane (decisions no stanza of ours matched). */
export type ConsoleLane = 'in' | 'out' | 'server';

/** The console's filters; the host applies the same ones to an export. Empty strings match everything. */
export interface ConsoleFilter {
  lanes: ConsoleLane[];
  kinds: StanzaKind[];
  connection: string;
  /** Substring of the stanza's `from` or `to`, case-insensitive. */
  jid: string;
}

/** A dialog the send templates can address, as one signed-in user sees it. */
export interface ConsoleDialog {
  id: string;
  name: string;
  type: 'private' | 'group' | 'public';
  /** The JID a stanza for this dialog goes to from that user: their opponent in a private dialog, the room otherwise. */
  to: string;
  lastMessageId?: string;
}

/** What the console needs besides the log: who is signed in and where stanzas can go. */
export interface ConsoleContext {
  /** Bare JIDs of the live XMPP connections (the `connection` of their records). */
  connections: string[];
  /** By connection (one of `connections`): the dialogs its user lists, addressed as that user sees them. */
  dialogs: Record<string, ConsoleDialog[]>;
  /** Whether the local server's decisions are streamed to this window. */
  decisions: boolean;
  /** How many entries the console keeps, like the service's ring buffer. */
  limit: number;
}

export interface ConsoleSnapshot {
  stanzas: StanzaRecord[];
  decisions: ServerDecision[];
  context: ConsoleContext;
}

export interface ConsoleNotifications {
  snapshot: ConsoleSnapshot;
  stanzas: { stanzas: StanzaRecord[] };
  decisions: { decisions: ServerDecision[] };
  context: ConsoleContext;
  [method: string]: unknown;
}

export type ExportFormat = 'xml' | 'jsonl';

export type RawXmlCheck = { ok: true; summary: string } | { ok: false; error: string };

export interface ConsoleRequests {
  clear: { params: Record<string, never>; result: null };
  /** Checks raw XML the way `send` would, without sending it. */
  validate: { params: { xml: string }; result: RawXmlCheck };
  send: { params: { xml: string; connection?: string }; result: null };
  /** Asks where to save, then writes what the filter shows; null when the user cancelled. */
  export: { params: { format: ExportFormat; filter: ConsoleFilter }; result: { path: string; count: number } | null };
  [method: string]: RequestShape;
}
