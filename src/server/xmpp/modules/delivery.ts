// The XMPP side of REST delivery (spec §5.2, §7.8): a message created with send_to_chat=1 reaches the
// dialog's online occupants the way a routed chat message would, and a system=1 message reaches the
// opponent as a SystemNotifications headline. Private dialogs: `chat` from the sender's JID to the
// recipient's available resources. Group and public dialogs: `groupchat` from `<room>/<senderId>` to
// every occupant's available resources, the sender's included (a MUC reflects a message to its
// sender). Room membership (MUC join) comes with a later issue; until then "in the room" means
// "an online occupant". Nothing here stores anything: REST already did.
import { xml, type Element } from '@xmpp/xml';
import { mucDomainOf, roomJid, userJid } from '../../../shared/jid';
import { DialogTypes } from '../../../shared/models';
import { extraParamsElement, NS } from '../../../shared/stanza';
import type { ChatDelivery } from '../../delivery';
import type { DialogRecord, MessageRecord } from '../../store/chatStore';
import type { ModuleContext } from '../router';

export function chatDelivery({ router, host, appId }: ModuleContext): ChatDelivery {
  const jidOf = (userId: number) => userJid(userId, appId, host.domain);

  /** One copy per recipient, addressed to its bare JID, to each of its available resources. */
  const send = (recipients: number[], build: (to: string) => Element, detail: string) => {
    for (const userId of recipients) {
      const to = jidOf(userId);
      for (const session of router.availableResources(to)) router.deliver(session, build(to), detail);
    }
  };

  return {
    deliverStoredMessage(message: MessageRecord, dialog: DialogRecord) {
      const isPrivate = dialog.type === DialogTypes.private;
      const from = isPrivate ? jidOf(message.senderId) : roomJid(appId, dialog.id, mucDomainOf(host.domain), String(message.senderId));
      const recipients = isPrivate ? [message.recipientId] : dialog.occupantIds;
      const extra = { save_to_history: 1, message_id: message.id, date_sent: message.dateSent, dialog_id: dialog.id, ...message.customParams };
      send(
        recipients,
        (to) =>
          xml(
            'message',
            { type: isPrivate ? 'chat' : 'groupchat', id: message.id, from, to },
            message.body === null ? undefined : xml('body', {}, message.body),
            message.markable ? xml('markable', { xmlns: NS.markers }) : undefined,
            extraParamsElement(extra, message.attachments),
          ),
        `REST send_to_chat from user ${message.senderId}`,
      );
    },

    deliverSystemNotification(notification) {
      // The SDK reads extraParams of every headline, so moduleIdentifier is always there (spec §7.8).
      const extra = { moduleIdentifier: 'SystemNotifications', ...notification.customParams };
      send(
        [notification.recipientId],
        (to) =>
          xml(
            'message',
            { type: 'headline', id: notification.id, from: jidOf(notification.senderId), to },
            notification.body === null ? undefined : xml('body', {}, notification.body),
            extraParamsElement(extra, notification.attachments),
          ),
        `REST system notification from user ${notification.senderId}`,
      );
    },
  };
}
