// REST changes to a dialog, reflected in its live room (spec §7.9). Occupants removed by `pull_all` (or
// leaving a group by deleting it for themselves) are kicked: each of their joined resources gets an
// unavailable presence with status 301 and the remover as actor (the SDK's onKickOccupant), and the
// rest of the room sees them leave. A dialog deleted for everyone destroys the room (XEP-0045 §10.9).
// Added occupants need nothing here: joining reads the dialog's occupants from the store.
import type { DialogChange } from '../../../delivery';
import type { DialogRecord } from '../../../store/chatStore';
import { announceLeft } from './occupancy';
import { roomDestroyed, selfKicked } from './presences';
import { userJidOf, type Muc } from './rooms';

export function reflectDialogChange(muc: Muc, dialog: DialogRecord, change: DialogChange): void {
  const { router, rooms } = muc;
  if (change.deleted) {
    for (const session of rooms.close(dialog.id)) {
      router.deliver(session, roomDestroyed(muc, dialog, session.userId, session.jid), `dialog deleted by ${change.by}`);
    }
    return;
  }
  const actor = userJidOf(muc, change.by);
  for (const userId of change.removed ?? []) {
    const kicked = rooms.sessionsOf(dialog.id, userId);
    if (kicked.length === 0) continue;
    for (const session of kicked) {
      rooms.leave(dialog.id, session);
      router.deliver(session, selfKicked(muc, dialog, userId, session.jid, actor), `removed by ${change.by}`);
    }
    // Not 301 for the others: the SDK reads any 301 it receives as its own kick and forgets the room.
    announceLeft(muc, dialog, userId);
  }
}
