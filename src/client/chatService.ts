// The extension host's one chat session: REST for the account, dialogs, history and names; XMPP
// for live messages, in private dialogs and in the joined rooms of group and public ones (rooms.ts);
// a bounded stanza log for the console. Listeners get snapshots (`dialogs`) and appends (`message`,
// `stanza`), never internal state to mutate.
import type { Element } from '@xmpp/xml';
import { userJid } from '../shared/jid';
import { attachmentProblem, customParamProblem } from '../shared/messageFields';
import { DialogTypes, type QBDialog, type QBMessage, type QBMessageList, type QBUser } from '../shared/models';
import { newObjectId } from '../shared/objectId';
import { silentLogger, type Logger } from '../shared/logger';
import type { ConnectionState, ServerDecision, StanzaRecord, TypingState } from '../shared/protocol';
import type { WireDecision } from '../shared/serverDecisionWire';
import { displayName, placeholderName } from '../shared/users';
import type {
  ChatServiceApi,
  ChatServiceEvents,
  ConnectionTarget,
  Disposable,
  Listener,
  MessageEditedEvent,
  NewDialog,
  OccupantChanges,
  SendOptions,
  SystemNotificationInput,
} from './contracts';
import { opponentOf, privateDialogWith, sortDialogs, withDialogRead, withMessage } from './dialogList';
import { TypedEmitter } from './events';
import { historyPage, type Cursor } from './history';
import {
  chatStateFromStanza,
  correctionFromStanza,
  markerFromStanza,
  systemNotificationFromStanza,
  type ChatStateSignal,
  type CorrectionSignal,
  type MarkerSignal,
  type SystemNotificationSignal,
} from './chatSignals';
import { messageFromStanza } from './messageFromStanza';
import { chatStateStanza, correctionStanza, markerStanza, restMessageBody, systemNotificationStanza } from './outgoingMessage';
import { QuickBloxError } from './quickbloxError';
import { RestClient } from './restClient';
import { parseRawStanza } from './rawStanza';
import { RingBuffer } from './ringBuffer';
import { Rooms } from './rooms';
import { followServerDecisions, offersServerDecisions } from './serverDecisions';
import { SequenceCounter } from './stanzaRecord';
import { XmppSession } from './xmppSession';
import { errorMessage } from '../shared/errors';

export interface ChatServiceOptions {
  logger?: Logger;
  /** Stanzas kept for the console; the oldest are dropped beyond this. Default 5000. */
  stanzaLimit?: number;
  /** REST and XMPP timeouts. Default 15 s. */
  timeoutMs?: number;
  /**
   * Numbers this service's stanza records; shared by the services of one window (several signed-in
   * users) so the console can merge their logs in the order things happened.
   */
  sequence?: SequenceCounter;
  /**
   * Follow the local server's decision stream. The stream is server-wide (every user's stanzas), so
   * one service per server follows it. Default true.
   */
  followDecisions?: boolean;
}

/** What one `connect` builds before it knows the user; closed as a unit. */
interface ConnectionParts {
  target: ConnectionTarget;
  rest: RestClient;
  xmpp: XmppSession | undefined;
  rooms: Rooms | undefined;
  subscriptions: Disposable[];
}

/** A connect that got as far as a user; replaced wholesale by the next connect. */
interface Connection extends ConnectionParts {
  me: QBUser;
}

const DEFAULT_PAGE = 50;
/** Ids of messages already emitted, so a REST send echoed back over XMPP is not shown twice. */
const SEEN_IDS_LIMIT = 2000;
/** Markable messages from others waiting for our `<displayed/>`, per dialog; the oldest go beyond this. */
const UNREAD_MARKABLE_LIMIT = 100;
/**
 * The `notification_type` of the SystemNotifications that QuickBlox apps send occupants about a group
 * dialog they were just put in (1: created with them, 2: added to it); the server tells nobody.
 */
const DIALOG_NOTIFICATION = { created: '1', added: '2' } as const;

export class ChatService implements ChatServiceApi {
  private readonly events: TypedEmitter<ChatServiceEvents>;
  private readonly log: Logger;
  private readonly ring: RingBuffer<StanzaRecord>;
  private readonly decisionRing: RingBuffer<ServerDecision>;
  private decisionSeq = 0;
  private decisionsLive = false;
  private readonly sequence: SequenceCounter;
  private readonly followDecisions: boolean;
  private readonly names = new Map<number, string>();
  private readonly seenIds = new Set<string>();
  /** Per dialog: markable messages from others (id → sender) to send `<displayed/>` for at the next markRead. */
  private readonly unreadMarkable = new Map<string, Map<string, number>>();
  private readonly timeoutMs: number;
  private connection: Connection | undefined;
  private dialogList: QBDialog[] = [];
  private currentState: ConnectionState = 'offline';
  /** Bumped by every connect/disconnect so late results of an abandoned connect are ignored. */
  private generation = 0;

  constructor(options: ChatServiceOptions = {}) {
    this.log = options.logger ?? silentLogger;
    this.ring = new RingBuffer(options.stanzaLimit ?? 5000);
    this.decisionRing = new RingBuffer(options.stanzaLimit ?? 5000);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.sequence = options.sequence ?? new SequenceCounter();
    this.followDecisions = options.followDecisions ?? true;
    this.events = new TypedEmitter((error, event) => this.log.error(`chat service ${String(event)} listener failed: ${String(error)}`));
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get me(): QBUser | undefined {
    return this.connection?.me;
  }

  get dialogs(): readonly QBDialog[] {
    return this.dialogList;
  }

  on<E extends keyof ChatServiceEvents>(event: E, listener: Listener<ChatServiceEvents[E]>): Disposable {
    return this.events.on(event, listener);
  }

  async connect(target: ConnectionTarget): Promise<void> {
    await this.disconnect();
    const generation = this.generation;
    this.setState('connecting');
    const parts: ConnectionParts = {
      target,
      rest: new RestClient({ ...target, timeoutMs: this.timeoutMs }),
      xmpp: undefined,
      rooms: undefined,
      subscriptions: [],
    };
    try {
      if (this.followDecisions && offersServerDecisions(target.apiEndpoint)) {
        // First thing, so the stream is up before the XMPP session's first stanza.
        parts.subscriptions.push(
          followServerDecisions({
            restUrl: target.apiEndpoint,
            onDecision: (decision) => this.onDecision(decision),
            onLive: (live) => this.setDecisionsLive(live),
            logger: this.log,
          }),
        );
      }
      const me = await this.authenticate(parts.rest, target);
      this.abandonIfStale(generation);
      this.connection = Object.assign(parts, { me });
      this.names.set(me.id, displayName(me));
      await this.refreshDialogs();
      this.abandonIfStale(generation);
      const xmpp = new XmppSession({
        service: target.chatService,
        domain: target.chatDomain,
        userId: me.id,
        appId: target.appId,
        password: () => this.chatPassword(parts.rest, target),
        logger: this.log,
        timeoutMs: this.timeoutMs,
        sequence: this.sequence,
      });
      const rooms = new Rooms({
        send: (stanza) => xmpp.send(stanza),
        userId: me.id,
        appId: target.appId,
        chatDomain: target.chatDomain,
        logger: this.log,
        joinTimeoutMs: this.timeoutMs,
        onRemoved: (dialogId) => this.onRemovedFromRoom(dialogId),
      });
      parts.xmpp = xmpp;
      parts.rooms = rooms;
      rooms.sync(this.dialogList);
      parts.subscriptions.push(
        xmpp.on('stanza', (record) => this.onStanza(record)),
        xmpp.on('message', (element) => this.onMessageStanza(element)),
        xmpp.on('presence', (element) => rooms.handlePresence(element)),
        xmpp.on('state', (state, detail) => this.onXmppState(state, detail)),
        xmpp.on('online', (resumed) => rooms.connected(resumed)),
        xmpp.on('retry', (retry) => this.events.emit('retry', retry)),
      );
      await xmpp.start();
      this.abandonIfStale(generation);
    } catch (error) {
      await closeConnection(parts);
      if (generation === this.generation) {
        this.connection = undefined;
        this.dialogList = [];
        this.events.emit('dialogs', []);
        this.setState('error', errorMessage(error));
      }
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    this.generation++;
    const connection = this.connection;
    this.connection = undefined;
    if (connection) {
      await closeConnection(connection);
      this.dialogList = [];
      this.seenIds.clear();
      this.unreadMarkable.clear();
      // The next connect may be another application or server, where these ids mean other users.
      this.names.clear();
      this.events.emit('dialogs', []);
    }
    // Also when a sign-in was still under way: that attempt now abandons itself without touching the
    // state, so saying offline is this call's job.
    if (this.state !== 'offline') this.setState('offline');
  }

  async refreshDialogs(): Promise<QBDialog[]> {
    const { rest } = this.requireConnection();
    const generation = this.generation;
    const list = await rest.listDialogs({ limit: 100, sort_desc: 'updated_at' });
    // A list from a connection that has been replaced meanwhile must not overwrite the new one.
    if (generation === this.generation) this.publishDialogs(list.items);
    return this.dialogList;
  }

  async loadMessages(dialogId: string, options: { limit?: number; before?: Cursor; markAsRead?: boolean } = {}): Promise<QBMessage[]> {
    const markAsRead = options.markAsRead ?? true;
    const { rest } = this.requireConnection();
    const generation = this.generation;
    const limit = options.limit ?? DEFAULT_PAGE;
    const messages = await historyPage(
      async ({ limit, skip, dateSentAtMost }) => {
        const date_sent = dateSentAtMost === undefined ? undefined : { lte: dateSentAtMost };
        const page = await rest.listMessages({
          chat_dialog_id: dialogId,
          limit,
          skip,
          sort_desc: 'date_sent',
          date_sent,
          mark_as_read: markAsRead ? undefined : 0,
        });
        return page.items;
      },
      limit,
      options.before,
    );
    // Listing marks the listed messages read for us on the server, and the newest page is where the
    // unread ones are; a backlog longer than the page stays unread there until markRead.
    if (markAsRead && !options.before && generation === this.generation) {
      this.zeroUnread(dialogId);
      const me = this.connection?.me;
      // The sender learns that we read these from our `<displayed/>` at the next markRead.
      for (const m of messages) {
        if (me && m.markable === 1 && m.sender_id !== me.id && !m.read_ids.includes(me.id)) this.rememberUnread(dialogId, m._id, m.sender_id);
      }
    }
    return messages;
  }

  async markRead(dialogId: string): Promise<void> {
    const { rest } = this.requireConnection();
    const generation = this.generation;
    this.sendDisplayed(dialogId);
    await rest.markDialogRead(dialogId);
    if (generation === this.generation) this.zeroUnread(dialogId);
  }

  async sendMessage(dialogId: string, text: string, options: SendOptions = {}): Promise<QBMessage> {
    const { rest, xmpp, me } = this.requireConnection();
    const customParams = options.customParams ?? {};
    // Checked before anything goes out: a bad key would make the stanza malformed and end the stream.
    const problem = [
      ...Object.keys(customParams).map(customParamProblem),
      ...(options.attachments ?? []).map(attachmentProblem),
    ].find((p) => p !== undefined);
    if (problem) throw new Error(problem);
    if (text.trim() === '' && !options.attachments?.length) throw new Error('a message needs text or an attachment');
    const dialog = await this.dialogFor(rest, dialogId);
    const markable = options.markable ?? true;
    const saveToHistory = options.saveToHistory ?? true;
    const route = options.viaRest ? undefined : this.xmppRoute(dialog, me.id);
    let message: QBMessage | undefined;
    if (route) {
      if (!xmpp) throw new Error('chat is not connected; reconnect before sending');
      // The stanza id (an ObjectId) and our date_sent are what the server stores (it keeps a
      // plausible client clock), so this live copy matches the one history returns later.
      const now = Date.now();
      const sent = await xmpp.sendChat(route.to, route.type, {
        id: newObjectId(now),
        body: text,
        markable,
        extraParams: { save_to_history: saveToHistory ? 1 : 0, dialog_id: dialogId, date_sent: Math.floor(now / 1000), ...customParams },
        attachments: options.attachments,
      });
      message = messageFromStanza(sent, { myUserId: me.id });
    } else {
      // REST create always stores; there is no save_to_history=0 to ask for.
      if (!saveToHistory) throw new Error('a message that is not saved to the history can only be sent over XMPP: to a private dialog, or to a joined room');
      // A group dialog whose room is not joined (yet), or viaRest. REST create stores the message, so
      // occupants see it in the history and the dialog list; send_to_chat=1 has the server deliver it
      // live over XMPP to the occupants online.
      const body = restMessageBody({ dialogId, text, markable, sendToChat: true, customParams, attachments: options.attachments });
      message = await rest.createMessage(body);
    }
    if (!message) throw new Error('the sent stanza could not be read back as a message');
    this.acceptMessage(message);
    return message;
  }

  async editMessage(dialogId: string, messageId: string, text: string): Promise<void> {
    const { rest, xmpp, me, target } = this.requireConnection();
    if (text.trim() === '') throw new Error('the new text is empty: type it, or delete the message instead');
    const dialog = await this.dialogFor(rest, dialogId);
    const generation = this.generation;
    await rest.updateMessageText(dialogId, messageId, text);
    const opponent = dialog.type === DialogTypes.private ? opponentOf(dialog, me.id) : undefined;
    if (opponent !== undefined && xmpp) {
      // The REST edit is what counts; the correction only updates a client that shows the message now.
      const to = userJid(opponent, target.appId, target.chatDomain);
      await xmpp.send(correctionStanza({ to, id: newObjectId(), replaces: messageId, body: text, dialogId })).catch((error: unknown) => {
        this.log.warn(`the edit of ${messageId} is saved, but its live correction could not be sent: ${errorMessage(error)}`);
      });
    }
    if (generation === this.generation) this.onEdited({ dialogId, messageId, userId: me.id, text });
  }

  async deleteMessage(dialogId: string, messageId: string, options: { forEveryone: boolean }): Promise<void> {
    const { rest } = this.requireConnection();
    const generation = this.generation;
    await rest.deleteMessage(messageId, options.forEveryone);
    if (generation !== this.generation) return;
    this.events.emit('messagesDeleted', { dialogId, messageIds: [messageId], forEveryone: options.forEveryone });
    if (this.dialogList.some((d) => d._id === dialogId && d.last_message_id === messageId)) {
      // The dialog's last message is now an older one, which only the server knows.
      this.refreshDialogs().catch((error: unknown) => this.log.warn(`refresh dialogs after a deletion: ${errorMessage(error)}`));
    }
  }

  async sendTyping(dialogId: string, state: TypingState): Promise<void> {
    const { xmpp, me } = this.requireConnection();
    const dialog = this.dialogList.find((d) => d._id === dialogId);
    if (!dialog) throw new Error(`dialog ${dialogId} not found; refresh the dialog list`);
    const route = this.xmppRoute(dialog, me.id);
    if (!route) throw new Error(`the room of dialog ${dialogId} is not joined (yet); chat states go out once it is`);
    if (!xmpp) throw new Error('chat is not connected; reconnect before sending');
    await xmpp.send(chatStateStanza(route.to, state, route.type));
  }

  async sendSystemNotification(userId: number, notification: SystemNotificationInput): Promise<string> {
    const { xmpp, target } = this.requireConnection();
    if (!xmpp) throw new Error('chat is not connected; reconnect before sending');
    const id = newObjectId();
    const to = userJid(userId, target.appId, target.chatDomain);
    await xmpp.send(systemNotificationStanza({ to, id, body: notification.body, extraParams: notification.customParams }));
    return id;
  }

  async createDialog(dialog: NewDialog): Promise<QBDialog> {
    const { rest } = this.requireConnection();
    const generation = this.generation;
    const created = await rest.createDialog(dialog);
    if (generation !== this.generation) return created;
    this.upsertDialog(created);
    this.notifyOccupants(created, created.occupants_ids, DIALOG_NOTIFICATION.created);
    return created;
  }

  async createPrivateDialog(userId: number): Promise<QBDialog> {
    return privateDialogWith(this.dialogList, userId) ?? this.createDialog({ type: DialogTypes.private, occupantIds: [userId] });
  }

  async updateOccupants(dialogId: string, changes: OccupantChanges): Promise<QBDialog> {
    const { rest, me } = this.requireConnection();
    const generation = this.generation;
    const updated = await rest.updateOccupants(dialogId, changes);
    if (generation === this.generation) {
      if (updated.occupants_ids.includes(me.id)) this.upsertDialog(updated);
      else this.dropDialog(dialogId);
      this.notifyOccupants(updated, changes.add ?? [], DIALOG_NOTIFICATION.added);
    }
    return updated;
  }

  async deleteDialog(dialogId: string, options: { forEveryone: boolean }): Promise<void> {
    const { rest } = this.requireConnection();
    const generation = this.generation;
    await rest.deleteDialog(dialogId, options.forEveryone);
    if (generation === this.generation) this.dropDialog(dialogId);
  }

  async listUsers(): Promise<QBUser[]> {
    const users = await this.requireConnection().rest.listUsers();
    for (const user of users) this.names.set(user.id, displayName(user));
    return users;
  }

  async messageJson(dialogId: string, messageId: string): Promise<string> {
    const text = await this.requireConnection().rest.messageListText(dialogId, messageId);
    const message = parseJsonText<QBMessageList>(text, 'message list').items?.find((m) => m._id === messageId);
    if (!message) {
      throw new Error(`the server has no message ${messageId} in dialog ${dialogId}: it was deleted, or sent with save_to_history=0`);
    }
    return JSON.stringify(message, null, 2);
  }

  async dialogJson(dialogId: string): Promise<string> {
    const text = await this.requireConnection().rest.dialogText(dialogId);
    return JSON.stringify(parseJsonText<QBDialog>(text, 'dialog'), null, 2);
  }

  async userNames(ids: number[]): Promise<Record<number, string>> {
    const missing = [...new Set(ids)].filter((id) => !this.names.has(id));
    const rest = this.connection?.rest;
    if (missing.length > 0 && rest) {
      try {
        for (const user of await rest.getUsers(missing)) this.names.set(user.id, displayName(user));
      } catch (error) {
        this.log.warn(`user names: ${errorMessage(error)}`);
      }
    }
    const result: Record<number, string> = {};
    // Unknown ids are answered but not cached, so a user created later still gets a name.
    for (const id of ids) result[id] = this.names.get(id) ?? placeholderName(id);
    return result;
  }

  stanzas(): StanzaRecord[] {
    return this.ring.toArray();
  }

  decisions(): ServerDecision[] {
    return this.decisionRing.toArray();
  }

  get decisionStreamLive(): boolean {
    return this.decisionsLive;
  }

  connections(): string[] {
    const xmpp = this.connection?.xmpp;
    return xmpp ? [xmpp.connection] : [];
  }

  async sendRawStanza(xml: string, connection?: string): Promise<void> {
    const { xmpp } = this.requireConnection();
    if (!xmpp) throw new Error('chat is not connected; reconnect before sending');
    if (connection !== undefined && connection !== xmpp.connection) {
      throw new Error(`${connection} is not signed in here; stanzas can go out as ${xmpp.connection}`);
    }
    await xmpp.send(parseRawStanza(xml));
  }

  clearStanzas(): void {
    this.ring.clear();
    this.decisionRing.clear();
  }

  async dispose(): Promise<void> {
    await this.disconnect();
    this.events.clear();
    this.ring.clear();
    this.decisionRing.clear();
  }

  private async authenticate(rest: RestClient, target: ConnectionTarget): Promise<QBUser> {
    if (rest.usesApiKey) {
      // No session in API-key mode: act on behalf of the user (chat then signs in with the password).
      const me = await rest.getUserByLogin(target.login);
      rest.actAs(me.id);
      return me;
    }
    await rest.createSession();
    return rest.login({ login: target.login, password: target.password });
  }

  /**
   * The session token as chat password. Tokens expire 2 h after the last REST call, and an XMPP
   * session can outlive that; so before each (re)authentication the token is touched, and
   * replaced by a new session when the server no longer knows it.
   */
  private async chatPassword(rest: RestClient, target: ConnectionTarget): Promise<string> {
    if (rest.usesApiKey) return target.password;
    try {
      await rest.getSession();
    } catch (error) {
      if (!(error instanceof QuickBloxError && error.status === 401)) throw error;
      await this.authenticate(rest, target);
    }
    const token = rest.sessionToken;
    if (!token) throw new Error('the REST session has no token');
    return token;
  }

  private onXmppState(state: ConnectionState, detail: string | undefined): void {
    if (state !== 'online') this.connection?.rooms?.disconnected();
    const wasReconnecting = this.currentState === 'reconnecting';
    this.setState(state, detail);
    if (state === 'online' && wasReconnecting) {
      // Messages that arrived while we were away are only in the history: refresh the last messages.
      this.refreshDialogs().catch((error: unknown) => this.log.warn(`refresh dialogs after reconnect: ${String(error)}`));
    }
  }

  private onDecision(wire: WireDecision): void {
    const decision: ServerDecision = { seq: ++this.decisionSeq, ...wire };
    this.decisionRing.push(decision);
    this.events.emit('decision', decision);
  }

  private setDecisionsLive(live: boolean): void {
    if (live === this.decisionsLive) return;
    this.decisionsLive = live;
    this.events.emit('decisionStream', live);
  }

  private onStanza(record: StanzaRecord): void {
    this.ring.push(record);
    this.events.emit('stanza', record);
  }

  private onMessageStanza(element: Element): void {
    const me = this.connection?.me;
    if (!me) return;
    if (element.attrs.type === 'error') {
      this.log.warn(`message ${element.attrs.id ?? ''} bounced: ${element.getChild('error')?.toString() ?? 'no detail'}`);
      return;
    }
    const marker = markerFromStanza(element, me.id);
    if (marker) this.onMarker(marker);
    const chatState = chatStateFromStanza(element, me.id);
    if (chatState) this.onChatState(chatState);
    const correction = correctionFromStanza(element, me.id);
    if (correction) this.onCorrection(correction);
    const notification = systemNotificationFromStanza(element, me.id);
    if (notification) this.onSystemNotification(notification);
    const message = messageFromStanza(element, { myUserId: me.id });
    if (!message) return;
    if (!message.chat_dialog_id) {
      // 1:1 from a client that left out dialog_id (the server should have added it): our dialog with the sender.
      message.chat_dialog_id = privateDialogWith(this.dialogList, message.sender_id)?._id ?? '';
    }
    if (message.markable === 1 && message.sender_id !== me.id && message.chat_dialog_id && !this.seenIds.has(message._id)) {
      // As the SDK does for every markable message it receives; the id is the one its sender gave it.
      const markedId = element.attrs.id || message._id;
      this.sendMarker('received', message.sender_id, markedId, message.chat_dialog_id);
      this.rememberUnread(message.chat_dialog_id, markedId, message.sender_id);
    }
    this.acceptMessage(message);
    if (!this.dialogList.some((d) => d._id === message.chat_dialog_id)) {
      // A dialog someone just created with us: fetch the list so the tree shows it.
      this.refreshDialogs().catch((error: unknown) => this.log.warn(`refresh dialogs: ${String(error)}`));
    }
  }

  private onMarker(marker: MarkerSignal): void {
    const dialogId = marker.dialogId || privateDialogWith(this.dialogList, marker.userId)?._id;
    if (!dialogId) return;
    this.events.emit('messageStatus', { dialogId, messageId: marker.messageId, userId: marker.userId, status: marker.status });
  }

  private onChatState(signal: ChatStateSignal): void {
    const dialogId = signal.dialogId || privateDialogWith(this.dialogList, signal.userId)?._id;
    if (!dialogId) return;
    this.events.emit('typing', { dialogId, userId: signal.userId, state: signal.state });
  }

  /** A peer's correction names its dialog itself: only one we list, with the peer among its occupants, is believed. */
  private onCorrection(correction: CorrectionSignal): void {
    const dialogId = correction.dialogId || privateDialogWith(this.dialogList, correction.userId)?._id;
    const dialog = this.dialogList.find((d) => d._id === dialogId);
    if (!dialog?.occupants_ids.includes(correction.userId)) return;
    this.onEdited({ dialogId: dialog._id, messageId: correction.messageId, userId: correction.userId, text: correction.text });
  }

  private onSystemNotification({ dialogId, notice }: SystemNotificationSignal): void {
    const id = dialogId || privateDialogWith(this.dialogList, notice.senderId)?._id;
    // Only a dialog's notifications have somewhere to be shown; the console still has every stanza.
    if (id && this.dialogList.some((d) => d._id === id)) this.events.emit('systemNotification', { dialogId: id, notice });
    // A dialog we do not list yet: apps notify the occupants of a group dialog they create or add
    // people to. The list brings it to the tree, and its room gets joined.
    else if (id) this.refreshDialogs().catch((error: unknown) => this.log.warn(`refresh dialogs after a notification: ${errorMessage(error)}`));
  }

  /** Taken out of a room by someone else: the server's list says whether the dialog is still ours. */
  private onRemovedFromRoom(dialogId: string): void {
    if (!this.dialogList.some((d) => d._id === dialogId)) return;
    this.refreshDialogs().catch((error: unknown) => this.log.warn(`refresh dialogs after leaving a room: ${errorMessage(error)}`));
  }

  /**
   * Tells users newly in a group or public dialog about it with a SystemNotification (what QuickBlox
   * apps send, since the server tells nobody), so their clients list it and join its room. Not
   * awaited: the dialog is made; a notification that cannot go out is logged.
   */
  private notifyOccupants(dialog: QBDialog, userIds: readonly number[], notificationType: string): void {
    const me = this.connection?.me;
    if (dialog.type === DialogTypes.private || !me) return;
    for (const userId of userIds) {
      if (userId === me.id) continue;
      this.sendSystemNotification(userId, { customParams: { notification_type: notificationType, dialog_id: dialog._id } }).catch((error: unknown) => {
        this.log.warn(`could not tell user ${userId} about dialog ${dialog._id}: ${errorMessage(error)}`);
      });
    }
  }

  /** Emits the edit, and moves the dialog's last_message when the edited message is it. */
  private onEdited(edit: MessageEditedEvent): void {
    this.events.emit('messageEdited', edit);
    // Only its sender edits a message: a correction from anyone else leaves the preview alone.
    const index = this.dialogList.findIndex(
      (d) => d._id === edit.dialogId && d.last_message_id === edit.messageId && d.last_message_user_id === edit.userId,
    );
    if (index === -1) return;
    const next = [...this.dialogList];
    next[index] = { ...next[index], last_message: edit.text };
    this.publishDialogs(next);
  }

  private rememberUnread(dialogId: string, messageId: string, senderId: number): void {
    let unread = this.unreadMarkable.get(dialogId);
    if (!unread) this.unreadMarkable.set(dialogId, (unread = new Map()));
    unread.set(messageId, senderId);
    if (unread.size > UNREAD_MARKABLE_LIMIT) unread.delete(unread.keys().next().value as string);
  }

  /** `<displayed/>` for every markable message from others this session has not yet marked in the dialog. */
  private sendDisplayed(dialogId: string): void {
    const unread = this.unreadMarkable.get(dialogId);
    if (!unread) return;
    this.unreadMarkable.delete(dialogId);
    for (const [messageId, senderId] of unread) this.sendMarker('displayed', senderId, messageId, dialogId);
  }

  /** Not awaited: a marker that cannot go out (offline) is logged, never an error for the caller. */
  private sendMarker(kind: 'received' | 'displayed', senderId: number, messageId: string, dialogId: string): void {
    const connection = this.connection;
    if (!connection?.xmpp) return;
    const { xmpp, target } = connection;
    const to = userJid(senderId, target.appId, target.chatDomain);
    xmpp.send(markerStanza({ to, id: newObjectId(), kind, messageId, dialogId })).catch((error: unknown) => {
      this.log.warn(`${kind} marker for ${messageId}: ${errorMessage(error)}`);
    });
  }

  /** Emits a message once and moves its dialog's last_message. */
  private acceptMessage(message: QBMessage): void {
    if (this.seenIds.has(message._id)) return;
    this.seenIds.add(message._id);
    if (this.seenIds.size > SEEN_IDS_LIMIT) this.seenIds.delete(this.seenIds.values().next().value as string);
    this.events.emit('message', message);
    const me = this.connection?.me;
    const index = this.dialogList.findIndex((d) => d._id === message.chat_dialog_id);
    if (!me || index === -1) return;
    const updated = withMessage(this.dialogList[index], message, me.id);
    const others = this.dialogList.filter((_, i) => i !== index);
    // Times have whole seconds: a dialog that just got its newest message goes ahead of those with
    // the same second (the sort keeps that order), as the user saw it happen.
    this.publishDialogs(updated.last_message_id === message._id ? [updated, ...others] : [...this.dialogList.slice(0, index), updated, ...others.slice(index)]);
  }

  /** No snapshot when the count was already zero: every snapshot rebuilds the tree. */
  private zeroUnread(dialogId: string): void {
    const next = withDialogRead(this.dialogList, dialogId);
    if (next) this.publishDialogs(next);
  }

  private upsertDialog(dialog: QBDialog): void {
    this.publishDialogs([dialog, ...this.dialogList.filter((d) => d._id !== dialog._id)]);
  }

  private dropDialog(dialogId: string): void {
    if (this.dialogList.some((d) => d._id === dialogId)) this.publishDialogs(this.dialogList.filter((d) => d._id !== dialogId));
  }

  private publishDialogs(dialogs: readonly QBDialog[]): void {
    this.dialogList = sortDialogs(dialogs);
    this.connection?.rooms?.sync(this.dialogList);
    this.events.emit('dialogs', [...this.dialogList]);
  }

  /**
   * Where XMPP chat for the dialog goes: the opponent of a private dialog, or the room of a group or
   * public one once joined; undefined while the room is not joined (REST is the way then).
   */
  private xmppRoute(dialog: QBDialog, myUserId: number): { to: string; type: 'chat' | 'groupchat' } | undefined {
    const { target, rooms } = this.requireConnection();
    if (dialog.type !== DialogTypes.private) {
      return rooms?.isJoined(dialog._id) ? { to: rooms.roomJid(dialog._id), type: 'groupchat' } : undefined;
    }
    const opponent = opponentOf(dialog, myUserId);
    if (opponent === undefined) throw new Error(`private dialog ${dialog._id} has no opponent`);
    return { to: userJid(opponent, target.appId, target.chatDomain), type: 'chat' };
  }

  /** The listed dialog, else the server's; an error that says what to do when neither knows it. */
  private async dialogFor(rest: RestClient, dialogId: string): Promise<QBDialog> {
    const dialog = this.dialogList.find((d) => d._id === dialogId) ?? (await rest.getDialog(dialogId));
    if (!dialog) throw new Error(`dialog ${dialogId} not found; refresh the dialog list`);
    return dialog;
  }

  private requireConnection(): Connection {
    if (!this.connection) throw new Error('not connected; connect to a QuickBlox application first');
    return this.connection;
  }

  private abandonIfStale(generation: number): void {
    if (generation !== this.generation) throw new Error('connect was superseded by another connect or disconnect');
  }

  private setState(state: ConnectionState, detail?: string): void {
    if (state === this.currentState && detail === undefined) return;
    this.currentState = state;
    this.events.emit('state', state, detail);
  }
}

/** The server's JSON text, read for a message that says what was expected when it is not JSON. */
function parseJsonText<T>(text: string, what: string): T {
  try {
    // The server's JSON is trusted to match the QuickBlox model it claims (as in RestClient.call).
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`the server answered a ${what} that is not JSON: ${text.slice(0, 200)}`);
  }
}

/** Safe to call twice (a disconnect during connect, then connect's own cleanup). */
async function closeConnection(parts: ConnectionParts): Promise<void> {
  for (const s of parts.subscriptions.splice(0)) s.dispose();
  parts.rooms?.dispose();
  await parts.xmpp?.stop();
  await parts.rest.close();
}
