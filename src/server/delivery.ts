// The port from REST to XMPP: `POST /chat/Message.json` with send_to_chat=1 or system=1 hands the
// message to whoever is online (protocol spec §5.2, §7.8), and dialog changes reach live rooms (§7.9).
// REST depends on this interface only; the XMPP server implements it (xmpp/modules/delivery.ts). The
// relay exists because the REST handler is built before the XMPP server starts: until the server
// connects, nobody is online to receive anything.
import type { QBAttachment } from '../shared/models';
import type { DialogRecord, MessageRecord } from './store/chatStore';

/** A REST `system=1` message: never stored, delivered as a SystemNotifications headline. */
export interface SystemNotification {
  /** The ObjectId the REST answer carries as `_id`; the headline's stanza id. */
  id: string;
  senderId: number;
  recipientId: number;
  body: string | null;
  customParams: Record<string, string>;
  attachments: QBAttachment[];
}

/** A REST change to a group or public dialog that its live room must reflect (spec §7.9). */
export interface DialogChange {
  /** The user whose request made the change: the kicker named to removed occupants. */
  by: number;
  /** Occupants taken out (`pull_all`, or a member deleting the group for themself). */
  removed?: number[];
  /** Deleted for everyone (`force=1`): the room ends. */
  deleted?: boolean;
}

export interface ChatDelivery {
  /** Delivers a stored message to the dialog's online occupants, as the chat server would route it. */
  deliverStoredMessage(message: MessageRecord, dialog: DialogRecord): void;
  deliverSystemNotification(notification: SystemNotification): void;
  /** `dialog` as it is after the change (as it was, for a deletion). */
  dialogChanged(dialog: DialogRecord, change: DialogChange): void;
}

export interface DeliveryRelay extends ChatDelivery {
  connect(target: ChatDelivery): void;
}

export function deliveryRelay(): DeliveryRelay {
  let target: ChatDelivery | undefined;
  return {
    connect(next) {
      target = next;
    },
    deliverStoredMessage(message, dialog) {
      target?.deliverStoredMessage(message, dialog);
    },
    deliverSystemNotification(notification) {
      target?.deliverSystemNotification(notification);
    },
    dialogChanged(dialog, change) {
      target?.dialogChanged(dialog, change);
    },
  };
}
