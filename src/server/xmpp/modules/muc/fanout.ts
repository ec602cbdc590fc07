// Who receives what a room carries (groupchat, chat states, REST send_to_chat, headlines): every joined
// resource, plus, in a dialog with is_join_required=0, every available resource of every occupant
// (spec §7.9: such dialogs deliver to all online occupants, joined or not). Notifications ask for the
// online occupants whatever the dialog's setting.
import { xml, type Element } from '@xmpp/xml';
import type { DialogRecord } from '../../../store/chatStore';
import type { Session } from '../../router';
import { serializeChildrenOnce } from '../../serialize';
import { userJidOf, type Muc } from './rooms';

export function roomRecipients(muc: Muc, dialog: DialogRecord, everyOnlineOccupant = dialog.isJoinRequired === 0): Session[] {
  const recipients = new Set(muc.rooms.sessions(dialog.id));
  if (everyOnlineOccupant) {
    for (const userId of dialog.occupantIds) for (const session of muc.router.availableResources(userJidOf(muc, userId))) recipients.add(session);
  }
  return [...recipients];
}

/**
 * Delivers one copy per recipient, addressed to its full JID as a room does (the seed's received
 * groupchat has `to` = the occupant's full JID). The copies share the children: they are only
 * serialized (once, for all of them), and a copy per recipient keeps each `to` intact for whoever
 * holds on to a sent stanza.
 */
export function deliverToEach(muc: Muc, recipients: Session[], stanza: Element, detail: string): void {
  if (recipients.length > 1) serializeChildrenOnce(stanza.children);
  for (const session of recipients) {
    const copy = xml(stanza.name, { ...stanza.attrs, to: session.jid });
    copy.children = stanza.children;
    muc.router.deliver(session, copy, detail);
  }
}
