// One editor panel per (signed-in user, dialog). The page gets a snapshot (the dialog, names, the
// last 50 messages) whenever it loads — first open, shown again after being hidden, reconnect, its
// user signing in — and live changes for its dialog while it is visible: messages, ticks, typing,
// edits, deletions and system notifications. It sends messages, pages back through history and asks
// for message actions by request. What a visible panel shows counts as read: the dialog is marked
// read with each snapshot and shortly after live messages from others arrive.
import * as vscode from 'vscode';
import type { ChatServiceApi, Disposable } from '../client/contracts';
import { compareMessages } from '../client/history';
import { privateOpponentOf } from '../client/dialogList';
import type { Logger } from '../shared/logger';
import type { QBMessage } from '../shared/models';
import { isObjectId } from '../shared/objectId';
import type { ConnectionState, ConversationNotifications, ConversationRequests, ConversationSnapshot, SendOptions } from '../shared/protocol';
import { displayName } from '../shared/users';
import { Batcher } from './batcher';
import type { ConnectionStatus } from './connectionStatus';
import { messageActionHandlers } from './conversationActions';
import type { DialogLabels } from './dialogLabels';
import { errorMessage } from '../shared/errors';
import { CONVERSATION_VIEW_TYPE } from './ids';
import { PanelChannel, type PanelPage } from './webviewHost';

const PAGE: PanelPage = { script: 'dist/webview/conversation.js', style: 'media/conversation.css' };
const PAGE_SIZE = 50;
/** Short: a typed-in message should appear at once; a flood still becomes a few posts. */
const COALESCE_MS = 16;
/** A burst of incoming messages becomes one mark-read request. */
const MARK_READ_DELAY_MS = 500;

/** What the page persists with `setState`, and all a restored panel needs to find its dialog again. */
interface ConversationState {
  dialogId: string;
  /** Absent in panels that follow the primary user, and in states saved before panels had users. */
  userId?: number;
}

function isConversationState(value: unknown): value is ConversationState {
  if (typeof value !== 'object' || value === null) return false;
  const { dialogId, userId } = value as Record<string, unknown>;
  return isObjectId(dialogId) && (userId === undefined || (typeof userId === 'number' && Number.isSafeInteger(userId) && userId > 0));
}

export interface ConversationPanelInfo {
  dialogId: string;
  /** The user the panel acts as; undefined when it follows the primary user. */
  userId: number | undefined;
  visible: boolean;
  /** The page has its snapshot and receives live messages. */
  live: boolean;
}

/** The signed-in users of the window, as the panels need them. */
export interface ConversationSessions {
  /** The service signed in as this user; the primary (the profile's user) when userId is undefined. */
  serviceFor(userId: number | undefined): ChatServiceApi | undefined;
  /** Fires when a user signs in or out, and when a signed-in user's connection state changes. */
  onDidChange(listener: () => void): vscode.Disposable;
}

export interface ConversationDeps {
  sessions: ConversationSessions;
  /** The primary user's state as the page shows it: "connecting" already while a server is found or started. */
  status: ConnectionStatus;
  labels: DialogLabels;
  /** Signs in if nobody has yet: a panel restored after a reload is the first thing a user sees. */
  ensureConnected(): void;
  extensionUri: vscode.Uri;
  logger: Logger;
}

/**
 * A change one panel's user made that the panels of other users on the same dialog cannot hear
 * about from their server: QuickBlox announces neither REST edits of group messages nor deletions.
 */
type SharedChange =
  | { kind: 'edited'; dialogId: string; byUserId: number; messageId: string; text: string }
  | { kind: 'deleted'; dialogId: string; byUserId: number; messageIds: string[] };

function panelKey(dialogId: string, userId: number | undefined): string {
  return `${userId ?? 'primary'}/${dialogId}`;
}

export class ConversationPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, ConversationPanel>();
  private readonly shared = new vscode.EventEmitter<SharedChange>();

  constructor(private readonly deps: ConversationDeps) {}

  /** `userId`: the signed-in user the panel acts as; undefined (or the primary's id) for the primary user. */
  open(dialogId: string, userId?: number): void {
    const user = this.normalized(userId);
    const existing = this.panels.get(panelKey(dialogId, user));
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(CONVERSATION_VIEW_TYPE, 'Conversation', vscode.ViewColumn.Active, {
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    this.attach(dialogId, user, panel);
  }

  list(): ConversationPanelInfo[] {
    return [...this.panels.values()].map((p) => ({ dialogId: p.dialogId, userId: p.userId, visible: p.panel.visible, live: p.live }));
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isConversationState(state) || this.panels.has(panelKey(state.dialogId, state.userId))) {
      this.deps.logger.warn('Closed a restored conversation panel without a usable saved state');
      panel.dispose();
      return;
    }
    this.attach(state.dialogId, state.userId, panel);
  }

  /** Our listeners go; the panels stay with the editor layout, to be restored next time. */
  dispose(): void {
    for (const p of this.panels.values()) p.dispose();
    this.panels.clear();
    this.shared.dispose();
  }

  /** The primary user's own id means the primary: one panel, whichever way it was asked for. */
  private normalized(userId: number | undefined): number | undefined {
    return userId !== undefined && userId === this.deps.sessions.serviceFor(undefined)?.me?.id ? undefined : userId;
  }

  private attach(dialogId: string, userId: number | undefined, panel: vscode.WebviewPanel): void {
    const key = panelKey(dialogId, userId);
    const conversation = new ConversationPanel(dialogId, userId, panel, this.deps, {
      publish: (change) => this.shared.fire(change),
      subscribe: (listener) => this.shared.event(listener),
      onClosed: () => {
        if (this.panels.get(key) === conversation) this.panels.delete(key);
      },
    });
    this.panels.set(key, conversation);
  }
}

interface PanelLinks {
  publish(change: SharedChange): void;
  subscribe(listener: (change: SharedChange) => void): vscode.Disposable;
  onClosed(): void;
}

class ConversationPanel implements vscode.Disposable {
  private readonly channel: PanelChannel<ConversationNotifications, ConversationRequests>;
  private readonly disposables: vscode.Disposable[] = [];
  /** The page merges live messages by _id: one sent by this session may come again with its server ids. */
  private readonly batcher = new Batcher<QBMessage>(COALESCE_MS, (messages) =>
    this.channel.notify('messages', { messages: messages.sort(compareMessages) }),
  );
  /** Whether the page shows them is decided when due: it may have been hidden, or still loading, on arrival. */
  private readonly readLater = new Batcher<QBMessage>(MARK_READ_DELAY_MS, () => {
    if (this.channel.live) this.markRead();
  });
  /** The service the panel listens to now, and those listeners; replaced when its user signs in or out. */
  private bound: { service: ChatServiceApi | undefined; subscriptions: Disposable[] } = { service: undefined, subscriptions: [] };
  /** A secondary user's last reason (error, reconnecting), from its service's state events. */
  private detail: string | undefined;
  /** The dialog's name as last known, kept while the panel's user is away. */
  private dialogTitle = 'Conversation';
  private disposed = false;

  constructor(
    readonly dialogId: string,
    readonly userId: number | undefined,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: ConversationDeps,
    private readonly links: PanelLinks,
  ) {
    panel.iconPath = new vscode.ThemeIcon('comment-discussion');
    this.channel = new PanelChannel(
      panel,
      deps.extensionUri,
      PAGE,
      {
        snapshot: () => this.snapshot(),
        requests: {
          send: async ({ text, options }) => {
            if (typeof text !== 'string') throw new Error('the message text is missing');
            const sent = await this.service().sendMessage(dialogId, text, sendOptionsOf(options));
            return { id: sent._id };
          },
          loadOlder: ({ beforeDateSent, beforeId }) => this.page({ dateSent: beforeDateSent, id: beforeId }),
          typing: async ({ state }) => {
            if (state !== 'composing' && state !== 'paused') throw new Error(`unknown chat state ${String(state)}`);
            // To the opponent, or to the room of a group dialog (refused while it is not joined yet).
            await this.service().sendTyping(dialogId, state);
            return null;
          },
          ...messageActionHandlers({ dialogId, service: () => this.service() }),
        },
      },
      deps.logger,
    );
    this.disposables.push(
      this.channel,
      this.batcher,
      this.readLater,
      { dispose: () => this.unbind() },
      deps.sessions.onDidChange(() => this.bind()),
      links.subscribe((change) => this.applyShared(change)),
      panel.onDidDispose(() => {
        this.dispose();
        links.onClosed();
      }),
    );
    if (userId === undefined) this.disposables.push(deps.status.onDidChange(({ state, detail }) => this.followState(state, detail)));
    this.bind();
  }

  get live(): boolean {
    return this.channel.live;
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /** Listens to the service now signed in as the panel's user, if it is another one than before. */
  private bind(): void {
    const service = this.deps.sessions.serviceFor(this.userId);
    if (service === this.bound.service) {
      this.retitle();
      return;
    }
    this.unbind();
    this.bound.service = service;
    this.detail = undefined;
    if (service) {
      const { dialogId } = this;
      this.bound.subscriptions.push(
        service.on('message', (message) => {
          if (message.chat_dialog_id !== dialogId) return;
          this.batcher.push(message);
          if (message.sender_id !== service.me?.id) this.readLater.push(message);
        }),
        // Ticks and typing are live-only: a page shown again gets read_ids/delivered_ids in its snapshot.
        service.on('messageStatus', ({ dialogId: id, messageId, userId, status }) => {
          if (id === dialogId) this.channel.notify('status', { messageId, userId, status });
        }),
        service.on('typing', ({ dialogId: id, userId, state }) => {
          if (id === dialogId) this.channel.notify('typing', { userId, state });
        }),
        service.on('messageEdited', ({ dialogId: id, messageId, userId, text }) => {
          if (id !== dialogId) return;
          this.channel.notify('edited', { messageId, userId, text });
          if (userId === service.me?.id) this.links.publish({ kind: 'edited', dialogId, byUserId: userId, messageId, text });
        }),
        service.on('messagesDeleted', ({ dialogId: id, messageIds, forEveryone }) => {
          if (id !== dialogId) return;
          this.channel.notify('deleted', { messageIds });
          const me = service.me?.id;
          if (forEveryone && me !== undefined) this.links.publish({ kind: 'deleted', dialogId, byUserId: me, messageIds });
        }),
        service.on('systemNotification', ({ dialogId: id, notice }) => {
          if (id === dialogId) this.channel.notify('system', { notice });
        }),
        service.on('dialogs', () => this.retitle()),
      );
      if (this.userId !== undefined) {
        this.bound.subscriptions.push(
          service.on('state', (state, detail) => {
            this.detail = detail;
            this.followState(state, detail);
          }),
        );
      }
    }
    this.retitle();
    // Another service (or none) means other data: the page starts over from a snapshot.
    this.channel.resync();
  }

  private unbind(): void {
    for (const s of this.bound.subscriptions.splice(0)) s.dispose();
    this.bound.service = undefined;
  }

  private followState(state: ConnectionState, detail: string | undefined): void {
    // Back online, the page may have missed anything: it gets a whole new snapshot.
    if (state === 'online') this.channel.resync();
    else this.channel.post('connection', { state, detail });
  }

  /** What another user's panel on this dialog did that our server will not tell us. */
  private applyShared(change: SharedChange): void {
    const me = this.bound.service?.me?.id;
    if (change.dialogId !== this.dialogId || me === undefined || change.byUserId === me) return;
    if (change.kind === 'edited') this.channel.notify('edited', { messageId: change.messageId, userId: change.byUserId, text: change.text });
    else this.channel.notify('deleted', { messageIds: change.messageIds });
  }

  /** The service of the panel's user, online; otherwise an error that says how to get there. */
  private service(): ChatServiceApi {
    const service = this.bound.service;
    if (service?.me && service.state === 'online') return service;
    if (!service) throw new Error(this.connection().detail ?? 'nobody is signed in: connect first');
    throw new Error(`${this.userName()} is ${service.state}, not online: try again once connected`);
  }

  /** What the page's connection badge says: the primary's status, or this user's service. */
  private connection(): { state: ConnectionState; detail?: string } {
    if (this.userId === undefined) return { state: this.deps.status.state, detail: this.deps.status.detail };
    const service = this.bound.service;
    if (service) return { state: service.state, detail: this.detail };
    const who = this.userName();
    const primaryOnline = this.deps.sessions.serviceFor(undefined)?.state === 'online';
    return {
      state: 'offline',
      detail: primaryOnline
        ? `${who} is not signed in: run "QuickBlox: Sign In as Another User…" as ${who} and this conversation loads, or close this panel.`
        : `${who} signs in again once the profile's user is connected (Connect), if ${who} was signed in here before; otherwise connect, then run "QuickBlox: Sign In as Another User…".`,
    };
  }

  private userName(): string {
    const me = this.bound.service?.me;
    if (me) return me.login ?? displayName(me);
    return this.userId === undefined ? 'The profile\'s user' : this.deps.labels.userName(this.userId);
  }

  private async snapshot(): Promise<ConversationSnapshot | undefined> {
    const service = this.bound.service;
    const me = service?.me;
    if (!service || service.state !== 'online' || !me) {
      // Also for another user's panel: remembered users sign in again only after the profile's user.
      this.deps.ensureConnected();
      this.channel.post('connection', this.connection());
      return undefined;
    }
    try {
      let dialog = service.dialogs.find((d) => d._id === this.dialogId);
      if (!dialog) dialog = (await service.refreshDialogs()).find((d) => d._id === this.dialogId);
      if (!dialog) {
        throw new Error(`${displayName(me)} is not an occupant of dialog ${this.dialogId}: close this panel, or sign in as one of its occupants.`);
      }
      const { messages, hasMore } = await this.page();
      // The page zeroed the local count; this also marks a backlog older than the page.
      this.markRead();
      const ids = new Set([...dialog.occupants_ids, ...messages.map((m) => m.sender_id), me.id]);
      const names = await service.userNames([...ids]);
      const { state } = this.connection();
      return { dialog, myUserId: me.id, userId: this.userId, names, messages, hasMore, connection: state };
    } catch (error) {
      this.deps.logger.error(`Could not load conversation ${this.dialogId}: ${errorMessage(error)}`);
      this.channel.post('connection', { state: this.connection().state, detail: `Could not load this conversation: ${errorMessage(error)}` });
      return undefined;
    }
  }

  /** The newest page before `before` (or overall); one extra message tells whether more exist. */
  private async page(before?: { dateSent: number; id: string }): Promise<{ messages: QBMessage[]; hasMore: boolean }> {
    const loaded = await this.service().loadMessages(this.dialogId, { limit: PAGE_SIZE + 1, before });
    return { messages: loaded.slice(-PAGE_SIZE), hasMore: loaded.length > PAGE_SIZE };
  }

  /** Not awaited by anyone: a failure leaves the dialog unread, which the next open or message retries. */
  private markRead(): void {
    const service = this.bound.service;
    service?.markRead(this.dialogId).catch((error: unknown) => {
      this.deps.logger.warn(`Could not mark conversation ${this.dialogId} as read: ${errorMessage(error)}`);
    });
  }

  private retitle(): void {
    const service = this.bound.service;
    const me = service?.me?.id;
    const dialog = service?.dialogs.find((d) => d._id === this.dialogId);
    const other = dialog && privateOpponentOf(dialog, me);
    const apply = () => {
      // A disposed panel throws on any change; a lookup may finish after it closed.
      if (this.disposed) return;
      if (dialog) this.dialogTitle = other === undefined ? this.deps.labels.label(dialog) : this.deps.labels.userName(other);
      const primary = this.deps.sessions.serviceFor(undefined)?.me?.id;
      const actingAs = this.userId !== undefined && this.userId !== primary ? ` — as ${this.userName()}` : '';
      this.panel.title = `${this.dialogTitle}${actingAs}`;
    };
    apply();
    const users = [other, this.userId].filter((id): id is number => id !== undefined);
    this.deps.labels.resolveUsers(users).then(
      (changed) => changed && apply(),
      () => undefined, // the generic title stays; the tree logs lookup failures
    );
  }
}

/** The page's options, shape-checked: the service checks their content (keys, attachments). */
function sendOptionsOf(value: unknown): SendOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new Error('the send options are not an object');
  const { customParams, attachments, markable, saveToHistory, viaRest } = value as Record<string, unknown>;
  const flag = (name: string, v: unknown) => {
    if (v !== undefined && typeof v !== 'boolean') throw new Error(`the send option ${name} must be true or false`);
    return v as boolean | undefined;
  };
  if (customParams !== undefined && !isStringRecord(customParams)) throw new Error('custom parameters must be text keys and values');
  if (attachments !== undefined && !(Array.isArray(attachments) && attachments.every((a) => typeof a === 'object' && a !== null))) {
    throw new Error('attachments must be a list of objects');
  }
  return {
    customParams,
    attachments: attachments as SendOptions['attachments'],
    markable: flag('markable', markable),
    saveToHistory: flag('saveToHistory', saveToHistory),
    viaRest: flag('viaRest', viaRest),
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
