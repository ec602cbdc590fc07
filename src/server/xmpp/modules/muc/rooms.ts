// The live side of group and public dialogs (XEP-0045 as QuickBlox uses it, protocol spec §7.9): which
// resources have joined which room. The dialog itself (type, occupants, is_join_required) stays in the
// store and is read when needed (kept only until the store's next write, storeMemo.ts), so REST changes
// apply to the next join or message without syncing.
// One registry per router, shared by the MUC handlers and the REST delivery port (xmpp/modules/delivery.ts).
import { mucDomainOf, parseRoomJid, roomJid, userJid } from '../../../../shared/jid';
import { DialogTypes } from '../../../../shared/models';
import type { ChatStore, DialogRecord } from '../../../store/chatStore';
import type { ModuleContext, Router, Session } from '../../router';
import { StoreMemo } from '../../storeMemo';

/** Joined resources per room; a room's nick is its user id, shared by all of that user's resources. */
export class RoomRegistry {
  private readonly joined = new Map<string, Set<Session>>();
  private readonly roomsBySession = new Map<Session, Set<string>>();

  /** Returns false when the resource was already in the room. */
  join(dialogId: string, session: Session): boolean {
    let sessions = this.joined.get(dialogId);
    if (!sessions) {
      sessions = new Set();
      this.joined.set(dialogId, sessions);
    }
    if (sessions.has(session)) return false;
    sessions.add(session);
    let rooms = this.roomsBySession.get(session);
    if (!rooms) {
      rooms = new Set();
      this.roomsBySession.set(session, rooms);
    }
    rooms.add(dialogId);
    return true;
  }

  /** Returns false when the resource was not in the room. */
  leave(dialogId: string, session: Session): boolean {
    const sessions = this.joined.get(dialogId);
    if (!sessions?.delete(session)) return false;
    if (sessions.size === 0) this.joined.delete(dialogId);
    const rooms = this.roomsBySession.get(session);
    rooms?.delete(dialogId);
    if (rooms?.size === 0) this.roomsBySession.delete(session);
    return true;
  }

  isJoined(dialogId: string, session: Session): boolean {
    return this.joined.get(dialogId)?.has(session) ?? false;
  }

  /** The joined resources; every session that ends, displaced ones included, leaves on the router's `unbound`. */
  sessions(dialogId: string): Session[] {
    return [...(this.joined.get(dialogId) ?? [])];
  }

  /** The user's joined resources in the room: the occupant behind one nick. */
  sessionsOf(dialogId: string, userId: number): Session[] {
    return this.sessions(dialogId).filter((s) => s.userId === userId);
  }

  /** Joined user ids (nicks), each once, ascending. */
  occupantIds(dialogId: string): number[] {
    return [...new Set(this.sessions(dialogId).map((s) => s.userId))].sort((a, b) => a - b);
  }

  roomsOf(session: Session): string[] {
    return [...(this.roomsBySession.get(session) ?? [])];
  }

  /** Empties the room (it was destroyed) and returns who was in it. */
  close(dialogId: string): Session[] {
    const sessions = this.sessions(dialogId);
    for (const session of sessions) this.leave(dialogId, session);
    return sessions;
  }
}

/** What every MUC handler works with. */
export interface Muc {
  router: Router;
  store: ChatStore;
  rooms: RoomRegistry;
  /** Dialogs by id, as the store has them (storeMemo.ts); undefined for an unknown id. */
  dialogs: StoreMemo<string, DialogRecord | undefined>;
  appId: number;
  /** The users' domain; rooms live on `muc.<domain>`. */
  domain: string;
  mucDomain: string;
}

const registries = new WeakMap<Router, Muc>();

/** The router's MUC state, created on first use (by the MUC module or the REST delivery, whichever loads first). */
export function mucOf({ router, store, appId, host }: ModuleContext): Muc {
  let muc = registries.get(router);
  if (!muc) {
    muc = {
      router,
      store,
      rooms: new RoomRegistry(),
      dialogs: new StoreMemo(store, (id) => store.getDialog(id)),
      appId,
      domain: host.domain,
      mucDomain: mucDomainOf(host.domain),
    };
    registries.set(router, muc);
  }
  return muc;
}

export function occupantJid(muc: Muc, dialogId: string, userId: number): string {
  return roomJid(muc.appId, dialogId, muc.mucDomain, String(userId));
}

export function userJidOf(muc: Muc, userId: number): string {
  return userJid(userId, muc.appId, muc.domain);
}

/** The group or public dialog behind a room JID of this application, or undefined. */
export function dialogOfRoom(muc: Muc, jid: string): DialogRecord | undefined {
  const room = parseRoomJid(jid);
  if (!room || room.appId !== muc.appId || room.mucDomain !== muc.mucDomain) return undefined;
  const dialog = muc.dialogs.get(room.dialogId.toLowerCase());
  return dialog && dialog.type !== DialogTypes.private ? dialog : undefined;
}

/** A user who may take part without joining: an occupant of a dialog that does not require joining. */
export function mayTalkWithoutJoining(dialog: DialogRecord, userId: number): boolean {
  return dialog.isJoinRequired === 0 && dialog.occupantIds.includes(userId);
}
