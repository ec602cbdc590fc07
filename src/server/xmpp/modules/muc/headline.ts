// System notifications addressed to a room (spec §7.8: "targets may be a room JID too, then fan out to
// occupants"): a `headline` to the room's bare JID reaches the room's recipients and every online
// occupant of the dialog, except the resource that sent it. Never stored.
// `from` stays the sender's full user JID rather than `<room>/<nick>`: the SDK takes the notification's
// userId from the node of `from`, which for a room JID would be the application id.
import type { Host } from '../../router';
import { routableHeadline } from '../headlines';
import { deliverToEach, roomRecipients } from './fanout';
import { dialogOfRoom, type Muc } from './rooms';

export function registerRoomHeadlines(muc: Muc, mucHost: Host): void {
  const { router, rooms } = muc;

  mucHost.on('message/bare', (ctx) => {
    const { session, stanza } = ctx;
    if (stanza.attrs.type !== 'headline') return false;
    const dialog = dialogOfRoom(muc, ctx.to);
    if (!dialog) {
      router.fail(ctx, 'item-not-found', 'No such group or public dialog');
      return true;
    }
    if (!rooms.isJoined(dialog.id, session) && !dialog.occupantIds.includes(session.userId)) {
      router.fail(ctx, 'not-acceptable', 'Only occupants notify a room');
      return true;
    }
    const routed = routableHeadline(stanza);
    const recipients = new Set(roomRecipients(muc, dialog, true));
    recipients.delete(session);
    deliverToEach(muc, [...recipients], routed, `headline to a room from ${session.jid}`);
    router.report(session, stanza, 'routed', `room of dialog ${dialog.id}: ${recipients.size} resource(s)`);
    return true;
  });
}
