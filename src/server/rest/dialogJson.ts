// A dialog as the REST API returns it (dialog model reference), as seen by one user.
import { mucDomainOf, roomJid } from '../../shared/jid';
import { DialogTypes, type QBDialog } from '../../shared/models';
import type { DialogRecord, ListedDialog } from '../store/chatStore';
import type { RestDeps } from './context';
import { isoSeconds } from './time';
import { displayName } from './userJson';

/** What a dialog's JSON needs of the server: the store (names, unread counts) and the room JID's parts. */
export type DialogJsonDeps = Pick<RestDeps, 'store' | 'appId' | 'domain'>;

/**
 * A private dialog is named after the other occupant, like the cloud does; the unread count is the
 * viewer's, read from the store unless the dialog comes from the viewer's list, which carries it.
 */
export function dialogJson(dialog: DialogRecord | ListedDialog, viewerId: number, deps: DialogJsonDeps): QBDialog {
  const isPrivate = dialog.type === DialogTypes.private;
  const json: QBDialog = {
    _id: dialog.id,
    created_at: isoSeconds(dialog.createdAt),
    last_message: dialog.lastMessage,
    last_message_date_sent: dialog.lastMessageDateSent,
    last_message_id: dialog.lastMessageId,
    last_message_user_id: dialog.lastMessageUserId,
    name: isPrivate ? opponentName(dialog, viewerId, deps) : dialog.name,
    occupants_ids: dialog.occupantIds,
    photo: dialog.photo,
    type: dialog.type,
    updated_at: isoSeconds(dialog.updatedAt),
    user_id: dialog.ownerId,
    xmpp_room_jid: isPrivate ? null : roomJid(deps.appId, dialog.id, mucDomainOf(deps.domain)),
    unread_messages_count: 'unreadCount' in dialog ? dialog.unreadCount : deps.store.unreadCount(viewerId, dialog.id),
  };
  if (!isPrivate) json.is_join_required = dialog.isJoinRequired;
  if (dialog.data) json.data = dialog.data;
  return json;
}

function opponentName(dialog: DialogRecord, viewerId: number, deps: DialogJsonDeps): string | null {
  const opponentId = dialog.occupantIds.find((id) => id !== viewerId) ?? viewerId;
  const opponent = deps.store.getUser(opponentId);
  return opponent ? displayName(opponent) : null;
}
