// The conversation panel: wires the header, the timeline and the composer to the host protocol and
// keeps dialog id, draft and scroll position in the webview state across reloads.
import type {
  ChatState,
  ConnectionState,
  ConversationNotifications,
  ConversationRequests,
  ConversationSnapshot,
} from '../../src/shared/protocol';
import { DialogTypes, type QBDialog, type QBMessage } from '../../src/shared/models';
import { appRoot, el } from '../common/dom';
import { connectRpc } from '../common/rpc';
import { BOTTOM, type ScrollAnchor } from '../common/virtualList';
import { loadState, saveState } from '../common/vscodeApi';
import { createComposer } from './composer';
import { createHeader } from './header';
import { type ConversationState, isConversationState } from './state';
import { senderName, type People } from './messageRow';
import { Timeline } from './timeline';
import { createTypingIndicator } from './typing';

/** State from before a reload; used once, by the first snapshot of the same dialog. */
let restored = loadState(isConversationState);
let dialogId: string | undefined;
let lastSaved = '';
let dialogType: QBDialog['type'] | undefined;
let people: People = { myUserId: -1, names: {} };

const header = createHeader();
const notice = el('div', { className: 'conv-notice', attrs: { role: 'status' } });
const viewport = el('div', {
  className: 'conv-list',
  attrs: { tabindex: 0, role: 'log', 'aria-label': 'Messages' },
});
const timeline = new Timeline({
  viewport,
  loadOlder: (oldest: QBMessage) =>
    rpc.request('loadOlder', { beforeDateSent: oldest.date_sent, beforeId: oldest._id }),
  onNotice: (text) => {
    notice.textContent = text;
  },
  onRendered: persist,
});
const composer = createComposer({
  send: async (text) => {
    await rpc.request('send', { text });
  },
  onDraftChange: persist,
  onTyping: (state) => {
    // Group chat states need a joined room, which the host does not have yet: private dialogs only.
    if (dialogType !== DialogTypes.private) return;
    // Best effort: a chat state that does not go out is not worth telling the user about.
    rpc.request('typing', { state }).catch(() => undefined);
  },
});
const typing = createTypingIndicator();
// The notice floats over the top of the list so showing it never shifts the rows under the reader.
const main = el('main', { className: 'conv-main' }, [viewport, notice]);
appRoot().append(header.element, main, typing.element, composer.element);

function persist(): void {
  if (dialogId === undefined) return;
  const state: ConversationState = { dialogId, draft: composer.draft(), anchor: timeline.anchor() };
  // Scrolling renders every frame; only write when something actually changed.
  const text = JSON.stringify(state);
  if (text === lastSaved) return;
  lastSaved = text;
  saveState(state);
}

/** Before the first snapshot the list is empty: say why, or the page would just read "Loading…". */
const WAITING: Record<ConnectionState, string> = {
  offline: 'Not connected to QuickBlox: the conversation loads once connected.',
  connecting: 'Connecting to QuickBlox…',
  reconnecting: 'Reconnecting to QuickBlox…',
  error: 'Could not connect to QuickBlox.',
  online: 'Loading the conversation…',
};

function showConnection(state: ConnectionState, detail?: string): void {
  header.showConnection(state, detail);
  // Nothing can be sent to a conversation that has not loaded (it may not be the user's at all).
  composer.setOnline(state === 'online' && dialogId !== undefined);
  // The host's reason (e.g. why loading failed) must be readable, not only a badge's tooltip.
  if (dialogId === undefined) notice.textContent = detail ?? WAITING[state];
}

function onSnapshot(snapshot: ConversationSnapshot): void {
  const id = snapshot.dialog._id;
  let anchor: ScrollAnchor = BOTTOM;
  if (id === dialogId) {
    // A fresh snapshot of the dialog on screen (e.g. after a reconnect): stay where the user is.
    anchor = timeline.anchor();
  } else if (restored?.dialogId === id) {
    anchor = restored.anchor;
    composer.setDraft(restored.draft);
  } else if (dialogId !== undefined) {
    composer.setDraft('');
  }
  const first = dialogId === undefined;
  restored = undefined;
  if (id !== dialogId) typing.clear();
  dialogId = id;
  dialogType = snapshot.dialog.type;
  people = { myUserId: snapshot.myUserId, names: snapshot.names };
  header.showDialog(snapshot.dialog, { myUserId: snapshot.myUserId, names: snapshot.names });
  showConnection(snapshot.connection);
  timeline.show(snapshot, anchor);
  if (first) {
    notice.textContent = '';
    composer.focus();
  }
  persist();
}

const rpc = connectRpc<ConversationRequests, ConversationNotifications>({
  snapshot: onSnapshot,
  messages: ({ messages }) => {
    for (const m of messages) typing.messageFrom(m.sender_id);
    timeline.appendLive(messages);
  },
  connection: ({ state, detail }) => {
    // Offline, nobody's chat state reaches us any more.
    if (state !== 'online') typing.clear();
    showConnection(state, detail);
  },
  status: (update) => timeline.applyStatus(update),
  typing: ({ userId, state }) => showTyping(userId, state),
});

function showTyping(userId: number, state: ChatState): void {
  if (dialogId === undefined || userId === people.myUserId) return;
  typing.update(userId, senderName(people, userId), state);
}
