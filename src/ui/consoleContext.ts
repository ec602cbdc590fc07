// What the stanza console needs to know besides the log: every signed-in user's live connection
// (filter and sender choices) and the dialogs its templates can address, each with the JID a stanza
// for it goes to, as the first user listing it sees it (a private dialog goes to that user's opponent).
import type { ChatSessions } from '../client/chatSessions';
import { mucDomainOf, parseUserJid, roomJid, userJid } from '../shared/jid';
import { DialogTypes, type QBDialog } from '../shared/models';
import type { ConsoleContext, ConsoleDialog } from '../shared/protocol';

export function consoleContext(sessions: Pick<ChatSessions, 'list' | 'connections' | 'decisionStreamLive'>, limit: number): ConsoleContext {
  const dialogs = new Map<string, ConsoleDialog>();
  for (const { service } of sessions.list()) {
    const me = service.connections().map(parseUserJid).find((address) => address !== undefined);
    if (!me) continue;
    for (const dialog of service.dialogs) {
      const entry = dialogs.has(dialog._id) ? undefined : consoleDialog(dialog, me.userId, me.appId, me.domain);
      if (entry) dialogs.set(dialog._id, entry);
    }
  }
  return { connections: sessions.connections(), dialogs: [...dialogs.values()], decisions: sessions.decisionStreamLive, limit };
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
