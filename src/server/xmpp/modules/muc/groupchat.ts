// `groupchat` to a room's bare JID (XEP-0045 §7.4, spec §7.9): reflected to every recipient of the room
// (fanout.ts), the sender's own resources included, from `<room>/<senderId>` with the id and extraParams
// kept. With save_to_history=1 it is stored first, exactly as a 1:1 message is (messages.ts: date_sent
// rule, custom parameters, attachments), and the copies carry message_id, date_sent and dialog_id.
// Chat states and chat markers sent as groupchat are reflected the same way and never stored as
// messages; a marker also moves the sender's read/delivered state.
import type { Logger } from '../../../../shared/logger';
import { cloneElement, readExtraParams } from '../../../../shared/stanza';
import type { Host, StanzaContext } from '../../router';
import { saveBatch } from '../../saveBatch';
import { addStoredIds, isStorable, markerOf, recordMarker, saveStanza } from '../messages';
import { deliverToEach, roomRecipients } from './fanout';
import { dialogOfRoom, mayTalkWithoutJoining, occupantJid, type Muc } from './rooms';

export function registerGroupchat(muc: Muc, mucHost: Host, logger: Logger): void {
  const { router, store, rooms } = muc;
  const batch = saveBatch(router, store, logger);

  mucHost.on('message/bare', (ctx: StanzaContext) => {
    const { session, stanza } = ctx;
    if (stanza.attrs.type !== 'groupchat') return false;
    const dialog = dialogOfRoom(muc, ctx.to);
    if (!dialog) {
      router.fail(ctx, 'item-not-found', 'No such group or public dialog');
      return true;
    }
    // XEP-0045 §7.4: only occupants speak; an is_join_required=0 dialog counts its occupants as present.
    if (!rooms.isJoined(dialog.id, session) && !mayTalkWithoutJoining(dialog, session.userId)) {
      router.fail(ctx, 'not-acceptable', 'Join the room before sending to it');
      return true;
    }

    const routed = cloneElement(stanza);
    routed.attrs.from = occupantJid(muc, dialog.id, session.userId);
    const reflect = (): void => {
      const recipients = roomRecipients(muc, dialog);
      deliverToEach(muc, recipients, routed, `groupchat from ${session.jid}`);
      router.report(session, stanza, 'routed', `room of dialog ${dialog.id}: ${recipients.length} resource(s)`);
    };
    // Saves are group-committed with the 1:1 ones (saveBatch.ts); the sender's other messages wait behind them.
    const marker = markerOf(stanza);
    const extra = readExtraParams(stanza);
    if (marker) {
      batch.inOrder(ctx, () => {
        recordMarker(router, store, ctx, dialog, marker);
        reflect();
      });
    } else if (isStorable(stanza, extra)) {
      batch.save(
        ctx,
        () => saveStanza(store, stanza, extra, session.userId, { dialogId: dialog.id }),
        (stored) => {
          addStoredIds(routed, stored);
          router.report(session, stanza, 'stored', `message ${stored.id} in dialog ${stored.dialogId}`);
          reflect();
        },
      );
    } else {
      batch.inOrder(ctx, reflect);
    }
    return true;
  });
}
