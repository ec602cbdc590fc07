// Reads a QuickBlox chat `<message>` stanza (spec §7.5, §7.9) as the QBMessage the REST history
// would return for it, so live and loaded messages look alike in the conversation panel.
import type { Element } from '@xmpp/xml';
import { parseRoomJid, parseUserJid } from '../shared/jid';
import { isCustomParam } from '../shared/messageFields';
import type { QBMessage } from '../shared/models';
import { newObjectId } from '../shared/objectId';
import { NS, readExtraParams } from '../shared/stanza';

export interface StanzaContext {
  /** Who "we" are: the sender of stanzas without `from` (our own outgoing ones). */
  myUserId: number;
  /** unix ms; injectable for tests. */
  now?: number;
}

/**
 * A chat or groupchat stanza with a body or attachments as a QBMessage; undefined for anything
 * else (markers, chat states, corrections of an earlier message, errors, headlines). `chat_dialog_id` is '' when neither the
 * extraParams nor a room JID names the dialog (a 1:1 message from an SDK that omitted dialog_id).
 */
export function messageFromStanza(element: Element, context: StanzaContext): QBMessage | undefined {
  const type = element.attrs.type;
  if (!element.is('message') || (type !== 'chat' && type !== 'groupchat')) return undefined;
  if (element.getChild('replace', NS.correction)) return undefined;
  const { params, attachments } = readExtraParams(element);
  const body = element.getChildText('body');
  if (body === null && attachments.length === 0) return undefined;

  const from = element.attrs.from;
  const room = type === 'groupchat' && from ? parseRoomJid(from) : undefined;
  const senderId = from ? (room ? Number(room.nick) : parseUserJid(from)?.userId) : context.myUserId;
  if (senderId === undefined || !Number.isSafeInteger(senderId)) return undefined;
  const recipientId = type === 'groupchat' ? 0 : (parseUserJid(element.attrs.to ?? '')?.userId ?? context.myUserId);

  const nowMs = context.now ?? Date.now();
  const dateSent = unixSeconds(params.date_sent) ?? delayStamp(element) ?? Math.floor(nowMs / 1000);
  const iso = new Date(dateSent * 1000).toISOString();

  const message: QBMessage = {
    _id: params.message_id || element.attrs.id || newObjectId(nowMs),
    chat_dialog_id: params.dialog_id || room?.dialogId || '',
    message: body,
    date_sent: dateSent,
    sender_id: senderId,
    recipient_id: recipientId,
    // As in the REST model, the sender has read and received its own message.
    read_ids: [senderId],
    delivered_ids: [senderId],
    attachments,
    created_at: iso,
    updated_at: iso,
  };
  if (element.getChild('markable', NS.markers)) message.markable = 1;
  // What the SDK shows as extension.save_to_history, reduced to the one case that matters (isUnsaved).
  if (params.save_to_history !== '1') message.save_to_history = 0;
  for (const [key, value] of Object.entries(params)) {
    if (isCustomParam(key)) message[key] = value;
  }
  return message;
}

/** The SDK truncates date_sent to an integer; so do we. */
function unixSeconds(value: string | undefined): number | undefined {
  const n = value === undefined ? NaN : Math.trunc(Number(value));
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Offline deliveries carry `<delay stamp="…"/>`, the time the message was really sent. */
function delayStamp(element: Element): number | undefined {
  const stamp = element.getChild('delay', NS.delay)?.attrs.stamp;
  const ms = stamp ? Date.parse(stamp) : NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}
