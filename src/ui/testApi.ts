// What `activate` returns: a small window into the running extension for the e2e suite
// (`vscode.extensions.getExtension(…).exports`). Not a public API for other extensions.
import type { ChatSessions } from '../client/chatSessions';
import type { ChatServiceApi } from '../client/contracts';
import type { LocalServerInfo } from '../shared/localServer';
import type { ConnectionState } from '../shared/protocol';
import type { ConversationPanelInfo } from './conversationPanel';
import type { DialogsTree } from './dialogsTree';
import type { StatusBarView } from './sessionStatus';

export interface QuickBloxTestApi {
  /** The profile's user's service (the primary of `sessions`). */
  readonly service: ChatServiceApi;
  /** Every signed-in user of the window. */
  readonly sessions: ChatSessions;
  readonly dialogsTree: DialogsTree;
  /** The state the status bar and views show (connecting already while a server is found or started). */
  connectionState(): ConnectionState;
  /** What each connection status bar item shows, left to right. */
  statusBarItems(): StatusBarView[];
  /** The local server in use, or else the one this window started; undefined when neither. */
  localServerInfo(): LocalServerInfo | undefined;
  conversationPanels(): ConversationPanelInfo[];
  /** The logins remembered to sign in again after the profile's user connects (this profile). */
  rememberedUsers(): string[];
  /** Wall time `activate` took, in milliseconds. */
  readonly activationMs: number;
}
