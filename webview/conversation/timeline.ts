// The message list: history from the snapshot, live messages (deduplicated by _id, following the
// bottom only if the user was already there), older pages fetched when the top comes into view, and
// what happens to shown messages live: ticks, edits, deletions, and system notifications appended
// like messages. What was learnt live (edited, deleted, notices) lasts until the next snapshot,
// which has it from the server (an edit's new text, a deleted message gone) or never had it (notices).
import type { ConversationNotifications, ConversationSnapshot, SystemNotice } from '../../src/shared/protocol';
import { wasEdited } from '../../src/shared/messageFields';
import type { QBMessage } from '../../src/shared/models';
import { errorMessage } from '../../src/shared/errors';
import { BOTTOM, type ScrollAnchor, VirtualList } from '../common/virtualList';
import { paramList, type People, renderMessage, type RowContext } from './messageRow';

export interface OlderPage {
  messages: QBMessage[];
  hasMore: boolean;
}

export interface TimelineOptions {
  viewport: HTMLElement;
  loadOlder(oldest: QBMessage): Promise<OlderPage>;
  /** Loading and paging errors, for a status line; '' clears it. */
  onNotice(text: string): void;
  onRendered(): void;
}

const ESTIMATED_ROW_PX = 56;
const NEAR_TOP_PX = 200;
/** Markers for messages not shown yet (a live message still on its way), kept until it arrives. */
const PENDING_STATUS_LIMIT = 200;

export type StatusUpdate = ConversationNotifications['status'];
export type EditUpdate = ConversationNotifications['edited'];

export class Timeline {
  private readonly list: VirtualList<QBMessage>;
  /** The shown messages by _id; their read/delivered ids and text change in place. */
  private readonly byId = new Map<string, QBMessage>();
  /** The shown messages in list order: what the list is rebuilt from when a row goes. */
  private entries: QBMessage[] = [];
  private readonly pendingStatus: StatusUpdate[] = [];
  private readonly editedLive = new Set<string>();
  private readonly deletedLive = new Set<string>();
  private readonly notices = new Set<string>();
  private readonly paramsOpen = new Set<string>();
  /** Deletions this page asked for and awaits: their rows go, rather than become placeholders. */
  private readonly deleting = new Set<string>();
  private people: People = { myUserId: -1, names: {} };
  private ownerId = -1;
  private dialogId = '';
  private hasMore = false;
  private loading = false;
  /** Bumped per snapshot so a page requested for an older snapshot is dropped. */
  private generation = 0;
  /** A row rebuilt while it had focus: focused again once it is back in the DOM. */
  private refocus: string | undefined;
  private readonly context: RowContext;

  constructor(private readonly options: TimelineOptions) {
    this.context = {
      people: this.people,
      ownerId: this.ownerId,
      edited: (m) => this.editedLive.has(m._id) || wasEdited(m),
      deleted: (id) => this.deletedLive.has(id),
      notice: (id) => this.notices.has(id),
      paramsOpen: (id) => this.paramsOpen.has(id),
    };
    this.list = new VirtualList<QBMessage>({
      viewport: options.viewport,
      key: (message) => message._id,
      render: (message) => renderMessage(message, this.context),
      estimatedRowHeight: ESTIMATED_ROW_PX,
      onRendered: () => {
        this.restoreFocus();
        this.maybeLoadOlder();
        options.onRendered();
      },
    });
    // `toggle` does not bubble; capturing sees every row's custom parameters open and close.
    options.viewport.addEventListener('toggle', (event) => this.onParamsToggle(event), true);
  }

  show(snapshot: ConversationSnapshot, anchor: ScrollAnchor): void {
    this.generation++;
    // A page still loading belongs to the old snapshot and will be dropped: so is its notice.
    if (this.loading) this.options.onNotice('');
    this.loading = false;
    this.people = { myUserId: snapshot.myUserId, names: snapshot.names };
    this.dialogId = snapshot.dialog._id;
    this.ownerId = snapshot.dialog.user_id;
    this.context.people = this.people;
    this.context.ownerId = this.ownerId;
    this.hasMore = snapshot.hasMore;
    this.byId.clear();
    for (const set of [this.editedLive, this.deletedLive, this.notices, this.paramsOpen]) set.clear();
    this.pendingStatus.length = 0;
    this.entries = this.fresh(snapshot.messages);
    this.list.setItems(this.entries, anchor);
  }

  appendLive(messages: readonly QBMessage[]): void {
    const added = this.fresh(messages);
    this.entries.push(...added);
    this.list.append(added, this.list.isAtBottom());
  }

  /** A system notification, shown after what is on screen as it arrives. */
  addNotice(notice: SystemNotice): void {
    if (this.byId.has(notice.id)) return;
    this.notices.add(notice.id);
    this.appendLive([noticeMessage(notice, this.dialogId, this.people.myUserId)]);
  }

  /** A marker: `userId` received or read message `messageId`; its row's ticks follow. */
  applyStatus(update: StatusUpdate): void {
    const message = this.byId.get(update.messageId);
    if (!message) {
      this.pendingStatus.push(update);
      if (this.pendingStatus.length > PENDING_STATUS_LIMIT) this.pendingStatus.shift();
      return;
    }
    if (withStatus(message, update)) this.refreshRow(message._id);
  }

  /** New text from the message's sender; from anyone else it is ignored (only a sender may correct). */
  applyEdit({ messageId, userId, text }: EditUpdate): void {
    const message = this.byId.get(messageId);
    if (!message || message.sender_id !== userId || this.notices.has(messageId)) return;
    message.message = text;
    this.editedLive.add(messageId);
    this.refreshRow(messageId);
  }

  /** Our own deletions lose their row; anyone else's leave a "Message deleted" placeholder. */
  applyDeleted(messageIds: readonly string[]): void {
    for (const id of messageIds) {
      if (!this.byId.has(id)) continue;
      if (this.deleting.has(id)) {
        this.remove(id);
      } else {
        this.deletedLive.add(id);
        this.refreshRow(id);
      }
    }
  }

  /** A deletion this page asked for: `done(true)` once the host deleted it, `done(false)` if not. */
  beginDelete(id: string): (deleted: boolean) => void {
    this.deleting.add(id);
    return (deleted) => {
      this.deleting.delete(id);
      if (deleted) this.remove(id);
    };
  }

  message(id: string): QBMessage | undefined {
    return this.byId.get(id);
  }

  anchor(): ScrollAnchor {
    return this.list.anchor();
  }

  /** Drops messages already shown and records the rest as shown. */
  private fresh(messages: readonly QBMessage[]): QBMessage[] {
    const result = messages.filter((m) => !this.byId.has(m._id));
    for (const m of result) this.byId.set(m._id, m);
    if (this.pendingStatus.length > 0) {
      const waiting = this.pendingStatus.splice(0);
      for (const update of waiting) {
        const message = this.byId.get(update.messageId);
        if (message) withStatus(message, update);
        else this.pendingStatus.push(update);
      }
    }
    return result;
  }

  private remove(id: string): void {
    const index = this.entries.findIndex((m) => m._id === id);
    if (index === -1) return;
    let anchor = this.list.anchor();
    if (anchor.kind === 'item' && anchor.key === id) {
      // The row the view is anchored to goes: its neighbour takes its place on screen.
      const neighbour = this.entries[index + 1] ?? this.entries[index - 1];
      anchor = neighbour ? { kind: 'item', key: neighbour._id, offset: 0 } : BOTTOM;
    }
    this.entries.splice(index, 1);
    this.byId.delete(id);
    this.list.setItems(this.entries, anchor);
  }

  private refreshRow(id: string): void {
    const active = document.activeElement;
    if (active instanceof Element && active.closest<HTMLElement>('.msg')?.dataset.id === id) this.refocus = id;
    this.list.refresh([id]);
  }

  private restoreFocus(): void {
    if (this.refocus === undefined) return;
    const row = this.options.viewport.querySelector<HTMLElement>(`.msg[data-id="${CSS.escape(this.refocus)}"]`);
    this.refocus = undefined;
    row?.focus({ preventScroll: true });
  }

  private onParamsToggle(event: Event): void {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.classList.contains('msg-params')) return;
    const id = details.closest<HTMLElement>('.msg')?.dataset.id;
    const message = id === undefined ? undefined : this.byId.get(id);
    if (!id || !message) return;
    const list = details.querySelector('.msg-params-list');
    if (details.open) {
      this.paramsOpen.add(id);
      if (!list) details.append(paramList(message));
    } else {
      this.paramsOpen.delete(id);
      list?.remove();
    }
    // The row changed height: measured again, nothing rebuilt (focus stays on the toggle).
    this.list.refresh([]);
  }

  private maybeLoadOlder(): void {
    const oldest = this.list.first();
    if (!this.hasMore || this.loading || !oldest || !this.list.isNearTop(NEAR_TOP_PX)) return;
    this.loading = true;
    const generation = this.generation;
    this.options.onNotice('Loading older messages…');
    this.options.loadOlder(oldest).then(
      (page) => {
        if (generation !== this.generation) return;
        const older = this.fresh(page.messages);
        // A page with nothing new would be asked for again on every scroll at the top.
        this.hasMore = page.hasMore && older.length > 0;
        this.entries.unshift(...older);
        this.list.prepend(older);
        this.loading = false;
        this.options.onNotice('');
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        this.loading = false;
        this.options.onNotice(`Could not load older messages: ${errorMessage(error)}`);
      },
    );
  }
}

/** Adds the marker's user to the message's delivered (and for read, read) ids; false when nothing changed. */
function withStatus(message: QBMessage, { userId, status }: StatusUpdate): boolean {
  let changed = false;
  if (!message.delivered_ids.includes(userId)) {
    message.delivered_ids = [...message.delivered_ids, userId];
    changed = true;
  }
  if (status === 'read' && !message.read_ids.includes(userId)) {
    message.read_ids = [...message.read_ids, userId];
    changed = true;
  }
  return changed;
}

/** A notification as a row of the list: its parameters where a message keeps custom parameters. */
function noticeMessage(notice: SystemNotice, dialogId: string, myUserId: number): QBMessage {
  const iso = new Date(notice.dateSent * 1000).toISOString();
  return {
    ...notice.params,
    _id: notice.id,
    chat_dialog_id: dialogId,
    message: notice.body,
    date_sent: notice.dateSent,
    sender_id: notice.senderId,
    recipient_id: myUserId,
    read_ids: [],
    delivered_ids: [],
    attachments: [],
    created_at: iso,
    updated_at: iso,
  };
}
