// Reads the two kinds of message stanza that are not chat messages but say something about one:
// chat markers (spec §7.6, `<received id/>` / `<displayed id/>`) and chat states (spec §7.7,
// `<composing/>`, `<paused/>` …). Only `type="chat"` stanzas from another user count: the SDK
// ignores markers arriving as groupchat, and group chat states need a joined room.
import type { Element } from '@xmpp/xml';
import { parseUserJid } from '../shared/jid';
import type { ChatState, MessageStatus } from '../shared/protocol';
import { NS, readExtraParams } from '../shared/stanza';

export interface MarkerSignal {
  status: MessageStatus;
  /** The marked message: the id its sender gave it (for our own messages, also its stored `_id`). */
  messageId: string;
  /** Who received or displayed it: the marker's sender. */
  userId: number;
  /** From `<extraParams><dialog_id>`; '' when the sender left it out. */
  dialogId: string;
}

export interface ChatStateSignal {
  state: ChatState;
  userId: number;
  /** From `<extraParams><dialog_id>`; '' when absent (the SDK's 1:1 chat states carry none). */
  dialogId: string;
}

const CHAT_STATES: readonly ChatState[] = ['active', 'composing', 'paused', 'inactive', 'gone'];

/** The other user who sent this `type="chat"` stanza; undefined for ours, groupchat or a bad `from`. */
function otherSender(element: Element, myUserId: number): number | undefined {
  if (!element.is('message') || element.attrs.type !== 'chat') return undefined;
  const from = element.attrs.from;
  const userId = from ? parseUserJid(from)?.userId : undefined;
  return userId === undefined || userId === myUserId ? undefined : userId;
}

/** A `<received/>` or `<displayed/>` marker from another user, else undefined. */
export function markerFromStanza(element: Element, myUserId: number): MarkerSignal | undefined {
  const userId = otherSender(element, myUserId);
  if (userId === undefined) return undefined;
  for (const [name, status] of [['displayed', 'read'], ['received', 'delivered']] as const) {
    const messageId = element.getChild(name, NS.markers)?.attrs.id;
    if (typeof messageId === 'string' && messageId !== '') {
      return { status, messageId, userId, dialogId: readExtraParams(element).params.dialog_id ?? '' };
    }
  }
  return undefined;
}

/** A chat-state notification from another user, else undefined. */
export function chatStateFromStanza(element: Element, myUserId: number): ChatStateSignal | undefined {
  const userId = otherSender(element, myUserId);
  if (userId === undefined) return undefined;
  for (const child of element.getChildElements()) {
    if (child.getNS() !== NS.chatStates) continue;
    const state = CHAT_STATES.find((s) => s === child.name);
    if (state) return { state, userId, dialogId: readExtraParams(element).params.dialog_id ?? '' };
  }
  return undefined;
}
