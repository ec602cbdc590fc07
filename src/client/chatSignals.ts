// Reads the message stanzas that are not chat messages but say something about one or about a
// dialog: chat markers (spec §7.6, `<received id/>` / `<displayed id/>`), chat states (spec §7.7,
// `<composing/>`, `<paused/>` …), corrections (XEP-0308, `<replace id/>`) and system notifications
// (spec §7.8, SystemNotifications headlines). Only stanzas from another user count. Markers and
// corrections count as `type="chat"` only (the SDK ignores markers arriving as groupchat); chat
// states also as `groupchat` from a joined room's `<room>/<userId>`.
import type { Element } from '@xmpp/xml';
import { parseRoomJid, parseUserJid } from '../shared/jid';
import type { ChatState, MessageStatus, SystemNotice } from '../shared/protocol';
import { newObjectId } from '../shared/objectId';
import { NS, readExtraParams } from '../shared/stanza';
import { SYSTEM_NOTIFICATIONS_MODULE } from './outgoingMessage';

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
  /** From `<extraParams><dialog_id>`, else the room's dialog; '' for a 1:1 chat state without one (the SDK's carry none). */
  dialogId: string;
}

const CHAT_STATES: readonly ChatState[] = ['active', 'composing', 'paused', 'inactive', 'gone'];

/** The other user who sent this message stanza of `type`; undefined for ours, other types or a bad `from`. */
function otherSender(element: Element, myUserId: number, type = 'chat'): number | undefined {
  if (!element.is('message') || element.attrs.type !== type) return undefined;
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

/** Another occupant speaking in a room: a `groupchat` from `<room>/<userId>` that is not ours. */
function otherOccupant(element: Element, myUserId: number): { userId: number; dialogId: string } | undefined {
  if (!element.is('message') || element.attrs.type !== 'groupchat') return undefined;
  const room = parseRoomJid(element.attrs.from ?? '');
  const userId = Number(room?.nick);
  if (!room || !Number.isSafeInteger(userId) || userId <= 0 || userId === myUserId) return undefined;
  return { userId, dialogId: room.dialogId };
}

/** A chat-state notification from another user, in a private dialog or a room, else undefined. */
export function chatStateFromStanza(element: Element, myUserId: number): ChatStateSignal | undefined {
  const privateSender = otherSender(element, myUserId);
  const occupant = privateSender === undefined ? otherOccupant(element, myUserId) : { userId: privateSender, dialogId: '' };
  if (!occupant) return undefined;
  for (const child of element.getChildElements()) {
    if (child.getNS() !== NS.chatStates) continue;
    const state = CHAT_STATES.find((s) => s === child.name);
    if (state) return { state, userId: occupant.userId, dialogId: readExtraParams(element).params.dialog_id || occupant.dialogId };
  }
  return undefined;
}

export interface CorrectionSignal {
  /** The corrected message: the id its sender gave it, which is also its stored `_id`. */
  messageId: string;
  /** The sender, who corrected it. */
  userId: number;
  text: string;
  /** From `<extraParams><dialog_id>`; '' when absent. */
  dialogId: string;
}

/** A correction of another user's message (its new text), else undefined. */
export function correctionFromStanza(element: Element, myUserId: number): CorrectionSignal | undefined {
  const userId = otherSender(element, myUserId);
  const messageId = element.getChild('replace', NS.correction)?.attrs.id;
  const text = element.getChildText('body');
  if (userId === undefined || typeof messageId !== 'string' || messageId === '' || text === null) return undefined;
  return { messageId, userId, text, dialogId: readExtraParams(element).params.dialog_id ?? '' };
}

export interface SystemNotificationSignal {
  notice: SystemNotice;
  /** From `<extraParams><dialog_id>`; '' when absent. */
  dialogId: string;
}

/**
 * A SystemNotifications headline from another user, else undefined (WebRTC signalling headlines
 * carry another moduleIdentifier). `now` (unix ms) dates it: headlines carry no time of their own.
 */
export function systemNotificationFromStanza(element: Element, myUserId: number, now = Date.now()): SystemNotificationSignal | undefined {
  const senderId = otherSender(element, myUserId, 'headline');
  if (senderId === undefined) return undefined;
  const { params: extra } = readExtraParams(element);
  const { moduleIdentifier, ...params } = extra;
  if (moduleIdentifier !== SYSTEM_NOTIFICATIONS_MODULE) return undefined;
  const notice: SystemNotice = {
    // The id keys it in the panel; a headline from a client that sent none still needs one.
    id: element.attrs.id || newObjectId(now),
    senderId,
    body: element.getChildText('body'),
    dateSent: Math.floor(now / 1000),
    params,
  };
  return { notice, dialogId: params.dialog_id ?? '' };
}
