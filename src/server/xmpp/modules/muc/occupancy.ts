// Joining and leaving rooms (XEP-0045 §7.2, §7.14; spec §7.9). Join = available presence to
// `<room>/<userId>`: the joiner gets the other occupants' presences, then its self-presence (id echoed,
// status 110); the others get the joiner's presence once per user, however many of its resources join.
// Only occupants join private groups; anyone joins public ones. Leave = unavailable presence, or the
// resource becoming unavailable or going away (RFC 6121 §4.5.2 / §4.6: its rooms learn it left).
import { xml, type Element } from '@xmpp/xml';
import { DialogTypes } from '../../../../shared/models';
import { NS } from '../../../../shared/stanza';
import type { DialogRecord } from '../../../store/chatStore';
import { stanzaError } from '../../errors';
import type { Host, Session, StanzaContext } from '../../router';
import { occupantAvailable, occupantUnavailable, selfAvailable, selfUnavailable } from './presences';
import { dialogOfRoom, type Muc } from './rooms';

export function registerOccupancy(muc: Muc, mucHost: Host, usersHost: Host): void {
  const { router, rooms } = muc;

  mucHost.on('presence/full', (ctx) => {
    const type = ctx.stanza.attrs.type;
    if (type === undefined) join(muc, ctx);
    else if (type === 'unavailable') leaveByRequest(muc, ctx);
    // A client's error about a room presence needs no answer (RFC 6120 §8.3.1); other types are not for rooms.
    else if (type === 'error') router.report(ctx.session, ctx.stanza, 'handled', 'presence error to a room');
    else return false;
    return true;
  });

  // Not a claim: the presence module handles the resource's own availability; this only takes it out
  // of its rooms when it becomes unavailable, as its directed presence to them would (RFC 6121 §4.6.3).
  usersHost.on(
    'presence/self',
    (ctx) => {
      if (ctx.stanza.attrs.type === 'unavailable') leaveAll(ctx.session, true);
      return false;
    },
    100,
  );

  router.lifecycle.on('unbound', (session) => leaveAll(session, false));

  function leaveAll(session: Session, tellSession: boolean): void {
    for (const dialogId of rooms.roomsOf(session)) {
      const dialog = muc.store.getDialog(dialogId);
      rooms.leave(dialogId, session);
      if (!dialog) continue;
      if (tellSession) router.deliver(session, selfUnavailable(muc, dialog, session.userId, session.jid), 'left the room with its presence');
      announceLeft(muc, dialog, session.userId);
    }
  }
}

function join(muc: Muc, ctx: StanzaContext): void {
  const { router, rooms } = muc;
  const { session, stanza } = ctx;
  const dialog = dialogOfRoom(muc, ctx.to);
  if (!dialog) return refuse(muc, ctx, 'item-not-found', 'No such group or public dialog');
  // The SDK's nick is the user id (spec §7.9); another nick would let one user speak as another.
  if (ctx.to.slice(ctx.to.indexOf('/') + 1) !== String(session.userId)) return refuse(muc, ctx, 'not-acceptable', 'The nickname must be your user id');
  if (dialog.type === DialogTypes.group && !dialog.occupantIds.includes(session.userId)) {
    return refuse(muc, ctx, 'forbidden', 'You are not an occupant of this dialog');
  }

  const firstOfUser = rooms.sessionsOf(dialog.id, session.userId).length === 0;
  if (rooms.join(dialog.id, session)) {
    for (const userId of rooms.occupantIds(dialog.id)) {
      if (userId !== session.userId) router.deliver(session, occupantAvailable(muc, dialog, userId, session.jid), 'room occupant');
    }
    if (firstOfUser) {
      for (const other of rooms.sessions(dialog.id)) {
        if (other.userId !== session.userId) router.deliver(other, occupantAvailable(muc, dialog, session.userId, other.jid), `${session.userId} joined`);
      }
    }
  }
  // A repeated join (e.g. the SDK re-joining) still gets its self-presence, or its callback never fires.
  router.deliver(session, selfAvailable(muc, dialog, session.userId, session.jid, stanza.attrs.id), 'joined');
  router.report(session, stanza, 'handled', `joined room of dialog ${dialog.id}`);
}

function leaveByRequest(muc: Muc, ctx: StanzaContext): void {
  const { router, rooms } = muc;
  const { session, stanza } = ctx;
  const dialog = dialogOfRoom(muc, ctx.to);
  if (!dialog) return router.report(session, stanza, 'rejected', 'leave: no such room');
  const wasIn = rooms.leave(dialog.id, session);
  // Answered even when not joined: a client waiting for its leave to be confirmed gets the answer.
  router.deliver(session, selfUnavailable(muc, dialog, session.userId, session.jid), 'left');
  if (wasIn) announceLeft(muc, dialog, session.userId);
  router.report(session, stanza, 'handled', wasIn ? `left room of dialog ${dialog.id}` : 'leave: was not in the room');
}

/** Once the user's last resource is out, the others see the occupant leave. */
export function announceLeft(muc: Muc, dialog: DialogRecord, userId: number): void {
  const { router, rooms } = muc;
  if (rooms.sessionsOf(dialog.id, userId).length > 0) return;
  for (const other of rooms.sessions(dialog.id)) router.deliver(other, occupantUnavailable(muc, dialog, userId, other.jid), `${userId} left`);
}

/**
 * A refused join: the SDK matches the error by the echoed id and looks for `<x xmlns=".../muc"/>`
 * (not muc#user) as the first `<x>`, then reads `code` and `<text>` (spec §7.9).
 */
function refuse(muc: Muc, ctx: StanzaContext, condition: 'item-not-found' | 'forbidden' | 'not-acceptable', text: string): void {
  const error: Element = stanzaError(ctx.stanza, condition, text);
  ctx.session.send(xml('presence', error.attrs, xml('x', { xmlns: NS.muc }), ...error.getChildElements()));
  muc.router.report(ctx.session, ctx.stanza, 'rejected', `${condition}: ${text}`);
}
