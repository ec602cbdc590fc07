// What the extension host's chat service offers its listeners (tree, panels, console, commands).
// No `vscode` import: this is tested in plain Node. The UI only listens and calls these methods.
import type { QBDialog, QBMessage, QBUser } from '../shared/models';
import type {
  ChatState,
  ConnectionState,
  MessageStatus,
  SendOptions,
  ServerDecision,
  StanzaRecord,
  SystemNotice,
  TypingState,
} from '../shared/protocol';
import type { NewDialog, OccupantChanges } from './restClient';

export type { NewDialog, OccupantChanges, SendOptions };

/** A `headline` SystemNotifications message (spec §7.8): not stored, not a chat message. */
export interface SystemNotificationInput {
  body?: string;
  customParams?: Record<string, string>;
}

/** Everything needed to reach one QuickBlox application (cloud or local) as one user. */
export interface ConnectionTarget {
  /** REST base, e.g. `https://api.quickblox.com/` or `http://127.0.0.1:8080/`. */
  apiEndpoint: string;
  /** XMPP service, e.g. `xmpp://127.0.0.1:5222`, `wss://chat.quickblox.com:5291`. */
  chatService: string;
  /** XMPP domain of the JIDs, e.g. `localhost` or `chat.quickblox.com`. */
  chatDomain: string;
  appId: number;
  /** Application credentials: auth key + secret (signed session) or an API key. */
  authKey?: string;
  authSecret?: string;
  apiKey?: string;
  login: string;
  password: string;
}

/** A chat marker from another user about a message (spec §7.6). */
export interface MessageStatusEvent {
  dialogId: string;
  messageId: string;
  /** Who received or read it. */
  userId: number;
  status: MessageStatus;
}

/** Another user's chat state in a dialog (spec §7.7); only `composing` means typing. */
export interface TypingEvent {
  dialogId: string;
  userId: number;
  state: ChatState;
}

/** A message's text changed: we edited it, or its sender sent a correction (XEP-0308). */
export interface MessageEditedEvent {
  dialogId: string;
  messageId: string;
  /** The message's sender, who edited it. */
  userId: number;
  text: string;
}

/** Messages deleted through this service. */
export interface MessagesDeletedEvent {
  dialogId: string;
  messageIds: string[];
  /** Deleted for every occupant, not only hidden from us. */
  forEveryone: boolean;
}

/** A SystemNotifications headline (spec §7.8) from another user about one of our dialogs. */
export interface SystemNotificationEvent {
  dialogId: string;
  notice: SystemNotice;
}

/** A reconnect attempt that failed, and when the next one starts. */
export interface ReconnectRetry {
  /** 1 for the first failed attempt since the connection was lost. */
  attempt: number;
  /** unix ms. */
  nextRetryAt: number;
}

export interface ChatServiceEvents {
  state: [state: ConnectionState, detail?: string];
  /** While reconnecting: each failed attempt (the state stays 'reconnecting'). */
  retry: [retry: ReconnectRetry];
  /** The full, current dialog list (a snapshot, not a delta). */
  dialogs: [dialogs: QBDialog[]];
  /** A message for a dialog: received live, or sent by this session (with its server ids once known). */
  message: [message: QBMessage];
  /** Another user's `<received/>` (delivered) or `<displayed/>` (read) marker for a message. */
  messageStatus: [status: MessageStatusEvent];
  /** Another user's chat state: 1:1 `type="chat"`, or `groupchat` from a joined room. */
  typing: [typing: TypingEvent];
  messageEdited: [edit: MessageEditedEvent];
  messagesDeleted: [deletion: MessagesDeletedEvent];
  systemNotification: [notification: SystemNotificationEvent];
  /** Every stanza sent or received, in order. */
  stanza: [record: StanzaRecord];
  /** What the local server decided for a stanza (any user's), while its decision stream is followed. */
  decision: [decision: ServerDecision];
  /** Whether the local server's decisions are being followed (only servers on this machine offer them). */
  decisionStream: [live: boolean];
}

export type Listener<A extends unknown[]> = (...args: A) => void;

export interface Disposable {
  dispose(): void;
}

export interface ChatServiceApi {
  readonly state: ConnectionState;
  readonly me: QBUser | undefined;
  readonly dialogs: readonly QBDialog[];
  on<E extends keyof ChatServiceEvents>(event: E, listener: Listener<ChatServiceEvents[E]>): Disposable;

  connect(target: ConnectionTarget): Promise<void>;
  disconnect(): Promise<void>;
  refreshDialogs(): Promise<QBDialog[]>;
  /**
   * A page of history, oldest first; `before` pages backwards from a message. The server marks
   * listed messages read, so loading the newest page (no `before`) zeroes the dialog's unread count.
   */
  loadMessages(
    dialogId: string,
    options?: { limit?: number; before?: { dateSent: number; id: string }; /** Default true. */ markAsRead?: boolean },
  ): Promise<QBMessage[]>;
  /**
   * Marks all of the dialog's messages read for us on the server (`PUT /chat/Message.json`), then
   * zeroes its local unread count, with a `dialogs` snapshot when that changes it. Also sends
   * `<displayed/>` to their senders for the markable messages from others received (or loaded on
   * the newest page) since the last markRead, as the SDK's sendReadStatus does.
   */
  markRead(dialogId: string): Promise<void>;
  /**
   * Sends over XMPP with save_to_history=1: `chat` to the opponent of a private dialog, `groupchat`
   * to the joined room of a group or public one. Over REST with send_to_chat=1 when the room is not
   * joined (yet), or with `viaRest`. Resolves with the message as the panel shows it.
   */
  sendMessage(dialogId: string, text: string, options?: SendOptions): Promise<QBMessage>;
  /**
   * Replaces the text of one of our messages: `PUT /chat/Message/{id}.json` (spec §5.2), and in a
   * private dialog also a live XEP-0308 correction to the other occupant (not stored again).
   */
  editMessage(dialogId: string, messageId: string, text: string): Promise<void>;
  /** `DELETE /chat/Message/{id}.json`: for us, or with force=1 for everyone (its sender or the dialog's owner). */
  deleteMessage(dialogId: string, messageId: string, options: { forEveryone: boolean }): Promise<void>;
  /**
   * Sends our chat state (`<composing/>` / `<paused/>`) to the other occupant of a private dialog,
   * or to the room of a group or public one; refused while that room is not joined.
   */
  sendTyping(dialogId: string, state: TypingState): Promise<void>;
  /** Sends a system notification to one user over XMPP; resolves with its stanza id. */
  sendSystemNotification(userId: number, notification: SystemNotificationInput): Promise<string>;
  /** Creates a dialog and adds it to the list. */
  createDialog(dialog: NewDialog): Promise<QBDialog>;
  /** Our private dialog with this user: the listed one, else created (the server returns an existing one). */
  createPrivateDialog(userId: number): Promise<QBDialog>;
  /** Adds or removes occupants; removing ourselves leaves the dialog, which then drops out of the list. */
  updateOccupants(dialogId: string, changes: OccupantChanges): Promise<QBDialog>;
  /** Deletes for us, or for everyone (owner only), and drops it from the list. */
  deleteDialog(dialogId: string, options: { forEveryone: boolean }): Promise<void>;
  /** The application's users (the first 100), for pickers. */
  listUsers(): Promise<QBUser[]>;
  /** The message's REST JSON as the server returns it (pretty-printed), read without marking it read. */
  messageJson(dialogId: string, messageId: string): Promise<string>;
  /** The dialog's REST JSON as the server returns it (pretty-printed). */
  dialogJson(dialogId: string): Promise<string>;
  /** Display names for user ids (cached). */
  userNames(ids: number[]): Promise<Record<number, string>>;
  /** Stanzas captured so far (a bounded ring buffer, oldest first). */
  stanzas(): StanzaRecord[];
  /** The local server's decisions received so far (a bounded ring buffer, oldest first); see `decisionStream`. */
  decisions(): ServerDecision[];
  readonly decisionStreamLive: boolean;
  /** Empties both buffers. */
  clearStanzas(): void;
  /** Bare JIDs of the live XMPP connections: the `connection` of their stanza records. */
  connections(): string[];
  /**
   * Sends raw XML as typed in the stanza console: one well-formed message, presence or iq, else a
   * RawStanzaError saying what is wrong. `connection` (a bare JID from `connections()`) picks the sender.
   */
  sendRawStanza(xml: string, connection?: string): Promise<void>;
  dispose(): Promise<void>;
}
