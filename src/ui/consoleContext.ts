// What the stanza console needs to know besides the log: the live connections (filter and sender
// choices) and the dialogs its templates can address, each with the JID a stanza for it goes to.
import type { ChatServiceApi } from '../client/contracts';
import { mucDomainOf, parseUserJid, roomJid, userJid } from '../shared/jid';
import { DialogTypes, type QBDialog } from '../shared/models';
import type { ConsoleContext, ConsoleDialog } from '../shared/protocol';

export function consoleContext(service: ChatServiceApi, limit: number): ConsoleContext {
  const connections = service.connections();
  const me = connections.map(parseUserJid).find((address) => address !== undefined);
  const dialogs = me
    ? service.dialogs.flatMap((dialog) => consoleDialog(dialog, me.userId, me.appId, me.domain) ?? [])
    : [];
  return { connections, dialogs, decisions: service.decisionStreamLive, limit };
}

function consoleDialog(dialog: QBDialog, myId: number, appId: number, domain: string): ConsoleDialog | undefined {
  if (dialog.type === DialogTypes.private) {
    const opponent = dialog.occupants_ids.find((id) => id !== myId);
    if (opponent === undefined) return undefined;
    const to = userJid(opponent, appId, domain);
    return { id: dialog._id, name: dialog.name || to, type: 'private', to, lastMessageId: dialog.last_message_id ?? undefined };
  }
  const to = dialog.xmpp_room_jid || roomJid(appId, dialog._id, mucDomainOf(domain));
  return {
    id: dialog._id,
    name: dialog.name || to,
    type: dialog.type === DialogTypes.group ? 'group' : 'public',
    to,
    lastMessageId: dialog.last_message_id ?? undefined,
  };
}
