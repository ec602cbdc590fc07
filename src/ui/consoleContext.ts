// What the stanza console needs to know besides the log: every signed-in user's live connection
// (filter and sender choices) and, per connection, the dialogs its user lists, each with the JID a
// stanza for it goes to from that user: a private dialog goes to the sender's opponent, so the same
// dialog has a different `to` for each of its two occupants.
import type { ChatSessions } from '../client/chatSessions';
import { mucDomainOf, parseUserJid, roomJid, userJid } from '../shared/jid';
import { DialogTypes, type QBDialog } from '../shared/models';
import type { ConsoleContext, ConsoleDialog } from '../shared/protocol';

export function consoleContext(sessions: Pick<ChatSessions, 'list' | 'connections' | 'decisionStreamLive'>, limit: number): ConsoleContext {
  const dialogs: Record<string, ConsoleDialog[]> = {};
  for (const { service } of sessions.list()) {
    for (const connection of service.connections()) {
      const me = parseUserJid(connection);
      if (!me) continue;
      dialogs[connection] = service.dialogs.flatMap((dialog) => consoleDialog(dialog, me.userId, me.appId, me.domain) ?? []);
    }
  }
  return { connections: sessions.connections(), dialogs, decisions: sessions.decisionStreamLive, limit };
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
