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
  /** Display names by user id, for senders. */
  names: Record<number, string>;
  /** Oldest first, ordered by date_sent then _id. */
  messages: QBMessage[];
  hasMore: boolean;
  connection: ConnectionState;
}

export interface ConversationNotifications {
  snapshot: ConversationSnapshot;
  /** Live messages (received or sent) for this dialog, oldest first. */
  messages: { messages: QBMessage[] };
  connection: { state: ConnectionState; detail?: string };
  [method: string]: unknown;
}

export interface ConversationRequests {
  send: { params: { text: string; attachments?: QBAttachment[] }; result: { id: string } };
  loadOlder: {
    params: { beforeDateSent: number; beforeId: string };
    result: { messages: QBMessage[]; hasMore: boolean };
  };
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

export interface ConsoleNotifications {
  snapshot: { stanzas: StanzaRecord[] };
  stanzas: { stanzas: StanzaRecord[] };
  [method: string]: unknown;
}

export interface ConsoleRequests {
  clear: { params: Record<string, never>; result: null };
  [method: string]: RequestShape;
}
