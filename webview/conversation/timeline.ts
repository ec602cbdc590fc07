// The message list: history from the snapshot, live messages (deduplicated by _id, following the
// bottom only if the user was already there) and older pages fetched when the top comes into view.
import type { ConversationNotifications, ConversationSnapshot } from '../../src/shared/protocol';
import type { QBMessage } from '../../src/shared/models';
import { errorMessage } from '../../src/shared/errors';
import { type ScrollAnchor, VirtualList } from '../common/virtualList';
import { type People, renderMessage } from './messageRow';

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

export class Timeline {
  private readonly list: VirtualList<QBMessage>;
  /** The shown messages by _id; their read/delivered ids change in place with markers. */
  private readonly byId = new Map<string, QBMessage>();
  private readonly pendingStatus: StatusUpdate[] = [];
  private people: People = { myUserId: -1, names: {} };
  private hasMore = false;
  private loading = false;
  /** Bumped per snapshot so a page requested for an older snapshot is dropped. */
  private generation = 0;

  constructor(private readonly options: TimelineOptions) {
    this.list = new VirtualList<QBMessage>({
      viewport: options.viewport,
      key: (message) => message._id,
      render: (message) => renderMessage(message, this.people),
      estimatedRowHeight: ESTIMATED_ROW_PX,
      onRendered: () => {
        this.maybeLoadOlder();
        options.onRendered();
      },
    });
  }

  show(snapshot: ConversationSnapshot, anchor: ScrollAnchor): void {
    this.generation++;
    // A page still loading belongs to the old snapshot and will be dropped: so is its notice.
    if (this.loading) this.options.onNotice('');
    this.loading = false;
    this.people = { myUserId: snapshot.myUserId, names: snapshot.names };
    this.hasMore = snapshot.hasMore;
    this.byId.clear();
    this.pendingStatus.length = 0;
    this.list.setItems(this.fresh(snapshot.messages), anchor);
  }

  appendLive(messages: readonly QBMessage[]): void {
    this.list.append(this.fresh(messages), this.list.isAtBottom());
  }

  /** A marker: `userId` received or read message `messageId`; its row's ticks follow. */
  applyStatus(update: StatusUpdate): void {
    const message = this.byId.get(update.messageId);
    if (!message) {
      this.pendingStatus.push(update);
      if (this.pendingStatus.length > PENDING_STATUS_LIMIT) this.pendingStatus.shift();
      return;
    }
    if (withStatus(message, update)) this.list.refresh([message._id]);
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
