// What the extension host's chat service offers its listeners (tree, panels, console, commands).
// No `vscode` import: this is tested in plain Node. The UI only listens and calls these methods.
import type { QBDialog, QBMessage, QBUser } from '../shared/models';
import type { ConnectionState, StanzaRecord } from '../shared/protocol';

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

export interface ChatServiceEvents {
  state: [state: ConnectionState, detail?: string];
  /** The full, current dialog list (a snapshot, not a delta). */
  dialogs: [dialogs: QBDialog[]];
  /** A message for a dialog: received live, or sent by this session (with its server ids once known). */
  message: [message: QBMessage];
  /** Every stanza sent or received, in order. */
  stanza: [record: StanzaRecord];
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
  loadMessages(dialogId: string, options?: { limit?: number; before?: { dateSent: number; id: string } }): Promise<QBMessage[]>;
  /**
   * Marks all of the dialog's messages read for us on the server (`PUT /chat/Message.json`), then
   * zeroes its local unread count, with a `dialogs` snapshot when that changes it.
   */
  markRead(dialogId: string): Promise<void>;
  /** Sends over XMPP with save_to_history=1; resolves with the message as the panel shows it. */
  sendMessage(dialogId: string, text: string): Promise<QBMessage>;
  /** Display names for user ids (cached). */
  userNames(ids: number[]): Promise<Record<number, string>>;
  /** Stanzas captured so far (a bounded ring buffer, oldest first). */
  stanzas(): StanzaRecord[];
  clearStanzas(): void;
  dispose(): Promise<void>;
}
