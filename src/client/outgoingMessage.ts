// The stanzas and REST bodies of what we send, shaped exactly as the QuickBlox JS SDK shapes them
// (protocol spec §7.5 chat, §7.8 system notifications, §5.2 REST create), so the local server, the
// cloud and other SDK clients treat a message from the workbench like one from an app.
import { xml, type Element } from '@xmpp/xml';
import type { QBAttachment } from '../shared/models';
import { NS, extraParamsElement } from '../shared/stanza';
import type { NewRestMessage } from './restClient';

export interface ChatStanza {
  /** Bare JID of the recipient: a user's (`chat`) or a room's (`groupchat`). */
  to: string;
  /** Default `chat`. */
  type?: 'chat' | 'groupchat';
  /** Stanza id; QuickBlox clients use a new ObjectId, which the server keeps as the message `_id`. */
  id: string;
  body: string;
  /** Adds `<markable/>`, asking the recipient for delivered/read markers. */
  markable: boolean;
  /** Scalars of `<extraParams>`: save_to_history, dialog_id, date_sent and custom parameters. */
  extraParams: Record<string, string | number>;
  attachments?: QBAttachment[];
}

/** `<message type="chat|groupchat">` as `QB.chat.send` builds it. */
export function chatStanza(chat: ChatStanza): Element {
  return xml(
    'message',
    { to: chat.to, type: chat.type ?? 'chat', id: chat.id },
    xml('body', {}, chat.body),
    chat.markable ? xml('markable', { xmlns: NS.markers }) : undefined,
    extraParamsElement(chat.extraParams, chat.attachments),
  );
}

export interface SystemNotification {
  /** Bare JID of the recipient. */
  to: string;
  id: string;
  body?: string;
  /** Custom parameters, beside the `moduleIdentifier` the receiving SDK dispatches on. */
  extraParams?: Record<string, string>;
}

export const SYSTEM_NOTIFICATIONS_MODULE = 'SystemNotifications';

/** XEP-0308 Last Message Correction. */

/**
 * `<message type="headline">` as `QB.chat.sendSystemMessage` builds it: no `from` (the server
 * stamps it). `<extraParams>` is always there, because a Node SDK receiver dereferences it
 * unconditionally and throws on a headline without it (spec §7.8).
 */
export function systemNotificationStanza(notification: SystemNotification): Element {
  return xml(
    'message',
    { type: 'headline', id: notification.id, to: notification.to },
    notification.body === undefined ? undefined : xml('body', {}, notification.body),
    extraParamsElement({ moduleIdentifier: SYSTEM_NOTIFICATIONS_MODULE, ...notification.extraParams }),
  );
}

export interface RestMessageInput {
  dialogId: string;
  text: string;
  markable: boolean;
  /** Also deliver over XMPP to the online occupants. */
  sendToChat: boolean;
  customParams?: Record<string, string>;
  attachments?: QBAttachment[];
}

/** The JSON body of `POST /chat/Message.json` (spec §5.2): custom parameters at the top level. */
export function restMessageBody(input: RestMessageInput): NewRestMessage {
  return {
    ...input.customParams,
    chat_dialog_id: input.dialogId,
    message: input.text,
    ...(input.sendToChat && { send_to_chat: 1 }),
    ...(input.markable && { markable: 1 }),
    ...(input.attachments?.length && { attachments: input.attachments }),
  };
}

export interface MarkerInput {
  /** Bare JID of the marked message's sender. */
  to: string;
  /** Stanza id of the marker itself (an ObjectId, as the SDK sends). */
  id: string;
  kind: 'received' | 'displayed';
  /** The marked message's id. */
  messageId: string;
  dialogId: string;
}

/**
 * `<received/>` / `<displayed/>` as `sendDeliveredStatus` / `sendReadStatus` build them (spec §7.6):
 * always `type="chat"` to the sender's bare JID, group dialogs too, with the dialog in extraParams.
 */
export function markerStanza(marker: MarkerInput): Element {
  return xml(
    'message',
    { type: 'chat', to: marker.to, id: marker.id },
    xml(marker.kind, { xmlns: NS.markers, id: marker.messageId }),
    extraParamsElement({ dialog_id: marker.dialogId }),
  );
}

/**
 * `<composing/>` / `<paused/>` as `sendIsTypingStatus` builds it (spec §7.7): no id, no body;
 * `groupchat` to a room's bare JID, `chat` to a user's.
 */
export function chatStateStanza(to: string, state: 'composing' | 'paused', type: 'chat' | 'groupchat' = 'chat'): Element {
  return xml('message', { type, to }, xml(state, { xmlns: NS.chatStates }));
}

export interface CorrectionInput {
  /** Bare JID of the other occupant. */
  to: string;
  /** Stanza id of the correction itself. */
  id: string;
  /** The corrected message's id. */
  replaces: string;
  body: string;
  dialogId: string;
}

/**
 * A XEP-0308 last message correction, `type="chat"` like the message it corrects. save_to_history=0:
 * the REST edit already stored the new text, and the correction must not become a message of its own.
 */
export function correctionStanza(correction: CorrectionInput): Element {
  return xml(
    'message',
    { type: 'chat', to: correction.to, id: correction.id },
    xml('body', {}, correction.body),
    xml('replace', { xmlns: NS.correction, id: correction.replaces }),
    extraParamsElement({ save_to_history: 0, dialog_id: correction.dialogId }),
  );
}
