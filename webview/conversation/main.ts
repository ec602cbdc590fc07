// The conversation panel: wires the header, the timeline, the message toolbar and the composer (with
// its advanced options) to the host protocol, and keeps dialog, user, draft, edit in progress,
// advanced options and scroll position in the webview state across reloads.
import type {
  ChatState,
  ConnectionState,
  ConversationNotifications,
  ConversationRequests,
  ConversationSnapshot,
} from '../../src/shared/protocol';
import type { QBMessage } from '../../src/shared/models';
import { errorMessage } from '../../src/shared/errors';
import { appRoot, el } from '../common/dom';
import { connectRpc } from '../common/rpc';
import { BOTTOM, type ScrollAnchor } from '../common/virtualList';
import { loadState, saveState } from '../common/vscodeApi';
import { createAdvancedComposer } from './advancedComposer';
import { createComposer } from './composer';
import { createHeader } from './header';
import { handleRowActions, type MessageActionId } from './messageActions';
import { type ConversationState, isConversationState } from './state';
import { senderName, type People } from './messageRow';
import { Timeline } from './timeline';
import { createTypingIndicator } from './typing';

/** State from before a reload; used once, by the first snapshot of the same dialog. */
let restored = loadState(isConversationState);
let dialogId: string | undefined;
let userId: number | undefined;
let lastSaved = '';
let people: People = { myUserId: -1, names: {} };

const header = createHeader();
const notice = el('div', { className: 'conv-notice', attrs: { role: 'status' } });
const actionError = el('div', { className: 'conv-action-error', attrs: { role: 'alert' } });
const viewport = el('div', {
  className: 'conv-list',
  attrs: {
    tabindex: 0,
    role: 'log',
    'aria-label': 'Messages',
    'aria-description': 'Arrow Up and Down move between messages; Tab then reaches the message actions',
  },
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
handleRowActions(viewport, (action, messageId) => void runAction(action, messageId));
const advanced = createAdvancedComposer(persist);
if (restored?.advanced) advanced.restore(restored.advanced);
const composer = createComposer({
  send: async (text) => {
    // Before anything is sent: a problem in the options shows beside its field, and throws.
    const options = advanced.read();
    await rpc.request('send', { text, options });
  },
  edit: async (messageId, text) => {
    await rpc.request('edit', { messageId, text });
  },
  allowEmpty: () => advanced.hasAttachments(),
  onChange: persist,
  onTyping: (state) => {
    // Every dialog type: the host sends it to the opponent or the room. Best effort: a chat state
    // that does not go out (a room not joined yet) is not worth telling the user about.
    rpc.request('typing', { state }).catch(() => undefined);
  },
  extraButton: advanced.toggle,
  extraSection: advanced.element,
});
const typing = createTypingIndicator();
// The notice floats over the top of the list so showing it never shifts the rows under the reader.
const main = el('main', { className: 'conv-main' }, [viewport, notice]);
appRoot().append(header.element, main, actionError, typing.element, composer.element);

function persist(): void {
  if (dialogId === undefined) return;
  const state: ConversationState = {
    dialogId,
    ...(userId !== undefined && { userId }),
    draft: composer.draft(),
    anchor: timeline.anchor(),
    advanced: advanced.state(),
    ...(composer.editing() && { editing: composer.editing() }),
  };
  // Scrolling renders every frame; only write when something actually changed.
  const text = JSON.stringify(state);
  if (text === lastSaved) return;
  lastSaved = text;
  saveState(state);
}

/** The toolbar's actions: the host does the work; editing starts here, in the composer. */
async function runAction(action: MessageActionId, messageId: string): Promise<void> {
  actionError.textContent = '';
  try {
    if (action === 'edit') {
      const message = timeline.message(messageId);
      if (message) composer.startEdit(messageId, message.message ?? '');
    } else if (action === 'deleteForMe' || action === 'deleteForEveryone') {
      const done = timeline.beginDelete(messageId);
      let deleted = false;
      try {
        ({ deleted } = await rpc.request('delete', { messageId, forEveryone: action === 'deleteForEveryone' }));
      } finally {
        done(deleted);
      }
      if (deleted && composer.editing()?.messageId === messageId) composer.cancelEdit();
    } else {
      await rpc.request('action', { action, messageId });
    }
  } catch (error) {
    actionError.textContent = `Could not ${ACTION_VERBS[action]}: ${errorMessage(error)}`;
  }
}

const ACTION_VERBS: Record<MessageActionId, string> = {
  inspectJson: 'open the message JSON',
  inspectStanza: 'show the stanza',
  copyId: 'copy the id',
  edit: 'edit the message',
  deleteForMe: 'delete the message',
  deleteForEveryone: 'delete the message for everyone',
};

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
    if (restored.editing) composer.resumeEdit(restored.editing);
  } else if (dialogId !== undefined) {
    composer.cancelEdit();
    composer.setDraft('');
  }
  const first = dialogId === undefined;
  restored = undefined;
  if (id !== dialogId) typing.clear();
  dialogId = id;
  userId = snapshot.userId;
  people = { myUserId: snapshot.myUserId, names: snapshot.names };
  header.showDialog(snapshot.dialog, people);
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
  typing: ({ userId: from, state }) => showTyping(from, state),
  edited: (update) => timeline.applyEdit(update),
  deleted: ({ messageIds }) => {
    timeline.applyDeleted(messageIds);
    // A message deleted while being edited cannot be saved any more.
    const editing = composer.editing();
    if (editing && messageIds.includes(editing.messageId)) composer.cancelEdit();
  },
  system: ({ notice: systemNotice }) => timeline.addNotice(systemNotice),
});

function showTyping(from: number, state: ChatState): void {
  if (dialogId === undefined || from === people.myUserId) return;
  typing.update(from, senderName(people, from), state);
}
