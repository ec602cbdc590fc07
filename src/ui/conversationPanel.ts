// One editor panel per dialog. The page gets a snapshot (the dialog, names, the last 50 messages)
// whenever it loads — first open, shown again after being hidden, reconnect — and live messages
// for its dialog while it is visible; it sends messages and pages back through history by request.
// What a visible panel shows counts as read: the dialog is marked read with each snapshot and
// shortly after live messages from others arrive.
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import { compareMessages } from '../client/history';
import type { Logger } from '../shared/logger';
import { DialogTypes, type QBMessage } from '../shared/models';
import { isObjectId } from '../shared/objectId';
import type { ConversationNotifications, ConversationRequests, ConversationSnapshot } from '../shared/protocol';
import { displayName } from '../shared/users';
import { Batcher } from './batcher';
import type { ConnectionStatus } from './connectionStatus';
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
}

function isConversationState(value: unknown): value is ConversationState {
  return typeof value === 'object' && value !== null && isObjectId((value as Record<string, unknown>).dialogId);
}

export interface ConversationPanelInfo {
  dialogId: string;
  visible: boolean;
  /** The page has its snapshot and receives live messages. */
  live: boolean;
}

export interface ConversationDeps {
  service: ChatServiceApi;
  /** The state the page shows: "connecting" already while a server is found or started. */
  status: ConnectionStatus;
  labels: DialogLabels;
  /** Signs in if nobody has yet: a panel restored after a reload is the first thing a user sees. */
  ensureConnected(): void;
  extensionUri: vscode.Uri;
  logger: Logger;
}

export class ConversationPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, ConversationPanel>();

  constructor(private readonly deps: ConversationDeps) {}

  open(dialogId: string): void {
    const existing = this.panels.get(dialogId);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(CONVERSATION_VIEW_TYPE, 'Conversation', vscode.ViewColumn.Active, {
      retainContextWhenHidden: false,
      enableFindWidget: true,
    });
    this.attach(dialogId, panel);
  }

  list(): ConversationPanelInfo[] {
    return [...this.panels.values()].map((p) => ({ dialogId: p.dialogId, visible: p.panel.visible, live: p.live }));
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isConversationState(state) || this.panels.has(state.dialogId)) {
      this.deps.logger.warn('Closed a restored conversation panel without a usable saved state');
      panel.dispose();
      return;
    }
    this.attach(state.dialogId, panel);
  }

  /** Our listeners go; the panels stay with the editor layout, to be restored next time. */
  dispose(): void {
    for (const p of this.panels.values()) p.dispose();
    this.panels.clear();
  }

  private attach(dialogId: string, panel: vscode.WebviewPanel): void {
    const conversation = new ConversationPanel(dialogId, panel, this.deps, () => {
      if (this.panels.get(dialogId) === conversation) this.panels.delete(dialogId);
    });
    this.panels.set(dialogId, conversation);
  }
}

class ConversationPanel implements vscode.Disposable {
  private readonly channel: PanelChannel<ConversationNotifications, ConversationRequests>;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly dialogId: string,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: ConversationDeps,
    onClosed: () => void,
  ) {
    const { service, status } = deps;
    panel.iconPath = new vscode.ThemeIcon('comment-discussion');
    this.channel = new PanelChannel(
      panel,
      deps.extensionUri,
      PAGE,
      {
        snapshot: () => this.snapshot(),
        requests: {
          send: async ({ text, attachments }) => {
            if (attachments?.length) throw new Error('Sending attachments is not built yet.');
            if (typeof text !== 'string' || !text.trim()) throw new Error('Type a message first.');
            const sent = await service.sendMessage(dialogId, text);
            return { id: sent._id };
          },
          loadOlder: ({ beforeDateSent, beforeId }) => this.page({ dateSent: beforeDateSent, id: beforeId }),
          typing: async ({ state }) => {
            if (state !== 'composing' && state !== 'paused') throw new Error(`unknown chat state ${String(state)}`);
            // Group chat states need a joined room; the page only asks for private dialogs, but a
            // dialog's type is the host's to check.
            if (service.dialogs.find((d) => d._id === dialogId)?.type !== DialogTypes.private) return null;
            await service.sendTyping(dialogId, state);
            return null;
          },
        },
      },
      deps.logger,
    );
    // The page merges live messages by _id: one sent by this session may come again with its server ids.
    const batcher = new Batcher<QBMessage>(COALESCE_MS, (messages) =>
      this.channel.notify('messages', { messages: messages.sort(compareMessages) }),
    );
    // Whether the page shows them is decided when due: it may have been hidden, or still loading, on arrival.
    const readLater = new Batcher<QBMessage>(MARK_READ_DELAY_MS, () => {
      if (this.channel.live) this.markRead();
    });
    this.disposables.push(
      this.channel,
      batcher,
      readLater,
      service.on('message', (message) => {
        if (message.chat_dialog_id !== dialogId) return;
        batcher.push(message);
        if (message.sender_id !== service.me?.id) readLater.push(message);
      }),
      // Ticks and typing are live-only: a page shown again gets read_ids/delivered_ids in its snapshot.
      service.on('messageStatus', ({ dialogId: id, messageId, userId, status }) => {
        if (id === dialogId) this.channel.notify('status', { messageId, userId, status });
      }),
      service.on('typing', ({ dialogId: id, userId, state }) => {
        if (id === dialogId) this.channel.notify('typing', { userId, state });
      }),
      status.onDidChange(({ state, detail }) => {
        // Back online, the page may have missed anything: it gets a whole new snapshot.
        if (state === 'online') this.channel.resync();
        else this.channel.post('connection', { state, detail });
      }),
      service.on('dialogs', () => this.retitle()),
      panel.onDidDispose(() => {
        this.dispose();
        onClosed();
      }),
    );
    this.retitle();
  }

  get live(): boolean {
    return this.channel.live;
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private async snapshot(): Promise<ConversationSnapshot | undefined> {
    const { service } = this.deps;
    const me = service.me;
    if (service.state !== 'online' || !me) {
      this.deps.ensureConnected();
      const { state, detail } = this.deps.status;
      this.channel.post('connection', { state, detail });
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
      return { dialog, myUserId: me.id, names, messages, hasMore, connection: this.deps.status.state };
    } catch (error) {
      this.deps.logger.error(`Could not load conversation ${this.dialogId}: ${errorMessage(error)}`);
      this.channel.post('connection', { state: this.deps.status.state, detail: `Could not load this conversation: ${errorMessage(error)}` });
      return undefined;
    }
  }

  /** The newest page before `before` (or overall); one extra message tells whether more exist. */
  private async page(before?: { dateSent: number; id: string }): Promise<{ messages: QBMessage[]; hasMore: boolean }> {
    const loaded = await this.deps.service.loadMessages(this.dialogId, { limit: PAGE_SIZE + 1, before });
    return { messages: loaded.slice(-PAGE_SIZE), hasMore: loaded.length > PAGE_SIZE };
  }

  /** Not awaited by anyone: a failure leaves the dialog unread, which the next open or message retries. */
  private markRead(): void {
    this.deps.service.markRead(this.dialogId).catch((error: unknown) => {
      this.deps.logger.warn(`Could not mark conversation ${this.dialogId} as read: ${errorMessage(error)}`);
    });
  }

  private retitle(): void {
    const dialog = this.deps.service.dialogs.find((d) => d._id === this.dialogId);
    if (!dialog) return;
    this.panel.title = this.deps.labels.label(dialog);
    this.deps.labels.resolve([dialog]).then(
      (changed) => {
        // A disposed panel throws on any change; the lookup may finish after it closed.
        if (changed && !this.disposed) this.panel.title = this.deps.labels.label(dialog);
      },
      () => undefined, // the generic title stays; the tree logs lookup failures
    );
  }
}
