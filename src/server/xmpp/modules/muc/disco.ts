// XEP-0030 on the MUC service and its rooms (XEP-0045 §6). disco#items on a room lists one
// `<item jid="<room>/<userId>"/>` per joined occupant: the SDK's listOnlineUsers reads the user ids
// from the resources and throws on a result without `<query/>` (spec §7.9). Private groups show their
// occupants and features to their occupants only.
import { xml } from '@xmpp/xml';
import { DialogTypes } from '../../../../shared/models';
import { NS } from '../../../../shared/stanza';
import type { DialogRecord } from '../../../store/chatStore';
import type { Host, StanzaContext } from '../../router';
import { discoInfo } from '../disco';
import { dialogOfRoom, occupantJid, type Muc } from './rooms';

export function registerMucDisco(muc: Muc, mucHost: Host): void {
  const { router } = muc;
  mucHost.features.add(NS.discoInfo).add(NS.discoItems).add(NS.muc);

  mucHost.on(`iq-get/host/${NS.discoInfo}:query`, (ctx) => {
    router.reply(ctx, discoInfo(xml('identity', { category: 'conference', type: 'text', name: 'QuickBlox dialogs' }), mucHost.features));
    return true;
  });

  mucHost.on(`iq-get/bare/${NS.discoInfo}:query`, (ctx) => {
    const dialog = visibleRoom(muc, ctx);
    if (!dialog) return true;
    const features = [
      NS.discoInfo,
      NS.discoItems,
      NS.muc,
      'muc_persistent',
      'muc_nonanonymous',
      dialog.type === DialogTypes.group ? 'muc_membersonly' : 'muc_open',
      dialog.type === DialogTypes.group ? 'muc_hidden' : 'muc_public',
    ];
    router.reply(ctx, discoInfo(xml('identity', { category: 'conference', type: 'text', name: dialog.name ?? undefined }), features));
    return true;
  });

  mucHost.on(`iq-get/bare/${NS.discoItems}:query`, (ctx) => {
    const dialog = visibleRoom(muc, ctx);
    if (!dialog) return true;
    const items = muc.rooms.occupantIds(dialog.id).map((userId) => xml('item', { jid: occupantJid(muc, dialog.id, userId) }));
    router.reply(ctx, xml('query', { xmlns: NS.discoItems }, ...items));
    return true;
  });
}

/** The room's dialog when the asker may see it; otherwise the error is already answered. */
function visibleRoom(muc: Muc, ctx: StanzaContext): DialogRecord | undefined {
  const dialog = dialogOfRoom(muc, ctx.to);
  if (!dialog) {
    muc.router.fail(ctx, 'item-not-found', 'No such group or public dialog');
    return undefined;
  }
  if (dialog.type === DialogTypes.group && !dialog.occupantIds.includes(ctx.session.userId)) {
    muc.router.fail(ctx, 'forbidden', 'You are not an occupant of this dialog');
    return undefined;
  }
  return dialog;
}
