// The XMPP side of REST delivery (spec §5.2, §7.8, §7.9): a message created with send_to_chat=1 reaches
// the dialog's online occupants the way a routed chat message would, a system=1 message reaches the
// opponent as a SystemNotifications headline, and dialog changes reach the dialog's live room.
// Private dialogs: `chat` from the sender's JID to the recipient's available resources. Group and
// public dialogs: `groupchat` from `<room>/<senderId>` to the room's recipients (the joined resources,
// and every online occupant when the dialog does not require joining), the sender's included, as for
// groupchat sent over XMPP. Nothing here stores anything: REST already did.
import { xml, type Element } from '@xmpp/xml';
import { userJid } from '../../../shared/jid';
import { DialogTypes } from '../../../shared/models';
import { extraParamsElement, NS } from '../../../shared/stanza';
import type { ChatDelivery } from '../../delivery';
import type { DialogRecord, MessageRecord } from '../../store/chatStore';
import type { ModuleContext } from '../router';
import { SYSTEM_NOTIFICATIONS } from './headlines';
import { deliverToEach, roomRecipients } from './muc/fanout';
import { reflectDialogChange } from './muc/reflection';
import { mucOf, occupantJid } from './muc/rooms';

export function chatDelivery(ctx: ModuleContext): ChatDelivery {
  const { router, host, appId } = ctx;
  const muc = mucOf(ctx);
  const jidOf = (userId: number) => userJid(userId, appId, host.domain);

  /** One copy per recipient, addressed to its bare JID, to each of its available resources. */
  const send = (recipient: number, build: (to: string) => Element, detail: string) => {
    const to = jidOf(recipient);
    for (const session of router.availableResources(to)) router.deliver(session, build(to), detail);
  };

  return {
    deliverStoredMessage(message: MessageRecord, dialog: DialogRecord) {
      const isPrivate = dialog.type === DialogTypes.private;
      const extra = { save_to_history: 1, message_id: message.id, date_sent: message.dateSent, dialog_id: dialog.id, ...message.customParams };
      const build = (from: string, to?: string) =>
        xml(
          'message',
          { type: isPrivate ? 'chat' : 'groupchat', id: message.id, from, to },
          message.body === null ? undefined : xml('body', {}, message.body),
          message.markable ? xml('markable', { xmlns: NS.markers }) : undefined,
          extraParamsElement(extra, message.attachments),
        );
      const detail = `REST send_to_chat from user ${message.senderId}`;
      if (isPrivate) send(message.recipientId, (to) => build(jidOf(message.senderId), to), detail);
      else deliverToEach(muc, roomRecipients(muc, dialog), build(occupantJid(muc, dialog.id, message.senderId)), detail);
    },

    deliverSystemNotification(notification) {
      // The SDK reads extraParams of every headline, so moduleIdentifier is always there (spec §7.8).
      const extra = { moduleIdentifier: SYSTEM_NOTIFICATIONS, ...notification.customParams };
      send(
        notification.recipientId,
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

    dialogChanged(dialog, change) {
      if (dialog.type !== DialogTypes.private) reflectDialogChange(muc, dialog, change);
    },
  };
}
