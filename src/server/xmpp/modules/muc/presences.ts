// The muc#user presences a room sends (XEP-0045 §7.2, §9, §10.9), in the shapes the SDK parses
// (spec §7.9). The SDK reads only the FIRST `<x>` child and the FIRST `<status>` in it, so each
// presence has one `<x>` and puts the status that matters first. It also crashes on a muc#user
// presence that has a status but no id, unless the presence is unavailable or a 301 kick; and it
// treats a status-less presence from its own nick the same way, so a user's own nick is never
// announced to that user except in the self-presence that answers its join (with the join's id).
import { xml, type Element } from '@xmpp/xml';
import { NS } from '../../../../shared/stanza';
import type { DialogRecord } from '../../../store/chatStore';
import { occupantJid, type Muc } from './rooms';

/** XEP-0045 §5: the owner moderates; occupants are members; anyone else in a public room is a plain participant. */
function itemOf(dialog: DialogRecord, userId: number, present: boolean): Element {
  const affiliation = dialog.ownerId === userId ? 'owner' : dialog.occupantIds.includes(userId) ? 'member' : 'none';
  const role = !present ? 'none' : affiliation === 'owner' ? 'moderator' : 'participant';
  return xml('item', { affiliation, role });
}

/** Another occupant is (still) in the room: `onJoinOccupant` in the SDK. */
export function occupantAvailable(muc: Muc, dialog: DialogRecord, userId: number, to: string): Element {
  return xml('presence', { from: occupantJid(muc, dialog.id, userId), to }, xml('x', { xmlns: NS.mucUser }, itemOf(dialog, userId, true)));
}

/** Another occupant left (or was removed): no status, so the SDK calls `onLeaveOccupant`. */
export function occupantUnavailable(muc: Muc, dialog: DialogRecord, userId: number, to: string): Element {
  return xml(
    'presence',
    { type: 'unavailable', from: occupantJid(muc, dialog.id, userId), to },
    xml('x', { xmlns: NS.mucUser }, itemOf(dialog, userId, false)),
  );
}

/** The answer to a join: the join's id echoed, status 110 first (the SDK's join callback needs both). */
export function selfAvailable(muc: Muc, dialog: DialogRecord, userId: number, to: string, id: string | undefined): Element {
  return xml(
    'presence',
    { from: occupantJid(muc, dialog.id, userId), to, id },
    xml('x', { xmlns: NS.mucUser }, itemOf(dialog, userId, true), xml('status', { code: '110' })),
  );
}

/** The answer to a leave: unavailable with status 110. */
export function selfUnavailable(muc: Muc, dialog: DialogRecord, userId: number, to: string): Element {
  return xml(
    'presence',
    { type: 'unavailable', from: occupantJid(muc, dialog.id, userId), to },
    xml('x', { xmlns: NS.mucUser }, itemOf(dialog, userId, false), xml('status', { code: '110' })),
  );
}

/**
 * To a resource removed from the dialog by REST: status 301 first and the remover as `<actor jid/>`,
 * which the SDK turns into `onKickOccupant(dialogId, kickerId)`; 110 follows, as XEP-0045 §9.1 says.
 */
export function selfKicked(muc: Muc, dialog: DialogRecord, userId: number, to: string, actorJid: string): Element {
  return xml(
    'presence',
    { type: 'unavailable', from: occupantJid(muc, dialog.id, userId), to },
    xml(
      'x',
      { xmlns: NS.mucUser },
      xml('item', { affiliation: 'none', role: 'none' }, xml('actor', { jid: actorJid })),
      xml('status', { code: '301' }),
      xml('status', { code: '110' }),
    ),
  );
}

/** XEP-0045 §10.9: the room is gone (the dialog was deleted for everyone). */
export function roomDestroyed(muc: Muc, dialog: DialogRecord, userId: number, to: string): Element {
  return xml(
    'presence',
    { type: 'unavailable', from: occupantJid(muc, dialog.id, userId), to },
    xml(
      'x',
      { xmlns: NS.mucUser },
      xml('item', { affiliation: 'none', role: 'none' }),
      xml('destroy', {}, xml('reason', {}, 'The dialog was deleted')),
    ),
  );
}
