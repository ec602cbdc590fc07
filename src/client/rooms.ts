// The rooms of one user's group and public dialogs (XEP-0045 as QuickBlox uses it, spec §7.9). Each
// is joined once the XMPP session is online, with the SDK's join presence (no history) answered by
// our own occupant's presence with status 110; a few joins at a time, each bounded by a timeout. A
// failed join is logged and tried again at the next reconnect, never fatal: the dialog still works
// over REST. Dialogs that appear in the list are joined, those that leave it are left. Being taken
// out by someone else (kicked, room destroyed) is reported, since the dialog list is then stale.
// After a reconnect that did not resume the stream the server has forgotten us: every room is
// joined again.
import { randomUUID } from 'node:crypto';
import { xml, type Element } from '@xmpp/xml';
import { errorMessage } from '../shared/errors';
import { mucDomainOf, parseRoomJid, roomJid } from '../shared/jid';
import type { Logger } from '../shared/logger';
import { DialogTypes, type QBDialog } from '../shared/models';
import { NS } from '../shared/stanza';

export interface RoomsOptions {
  /** Sends a stanza on the user's XMPP session. */
  send(stanza: Element): Promise<void>;
  userId: number;
  appId: number;
  /** The users' XMPP domain; rooms live on `muc.<domain>`. */
  chatDomain: string;
  logger: Logger;
  /** Bound on waiting for the answer to a join; default 15 s. */
  joinTimeoutMs?: number;
  /** Joins under way at once; default 4. */
  concurrency?: number;
  /** Someone else took us out of the dialog's room (removed from the dialog, room destroyed). */
  onRemoved(dialogId: string): void;
}

/** waiting: to be joined once online (queued while online); failed: tried again at the next reconnect. */
type RoomState = 'waiting' | 'joining' | 'joined' | 'failed';

interface Room {
  state: RoomState;
  /** The id of the join under way; a join that is no longer it leaves the state alone. */
  joinId?: string;
}

interface PendingJoin {
  dialogId: string;
  room: Room;
  resolve(): void;
  reject(error: Error): void;
}

/** XEP-0045 §7.2.1 self-presence, and the statuses of being taken out (§9.1 ban, §8.2 kick, §9.4/§9.5 affiliation, §7.2.8 shutdown). */
const SELF_PRESENCE = '110';
const REMOVED_STATUSES: ReadonlySet<string> = new Set(['301', '307', '321', '322', '332']);

export class Rooms {
  /** The rooms wanted now, by dialog id. */
  private readonly rooms = new Map<string, Room>();
  /** Joins under way, by the id of their presence. */
  private readonly joins = new Map<string, PendingJoin>();
  /** Dialog ids waiting for a free join slot, in order. */
  private readonly queue = new Set<string>();
  private readonly mucDomain: string;
  private readonly joinTimeoutMs: number;
  private readonly concurrency: number;
  private online = false;

  constructor(private readonly options: RoomsOptions) {
    this.mucDomain = mucDomainOf(options.chatDomain);
    this.joinTimeoutMs = options.joinTimeoutMs ?? 15_000;
    this.concurrency = options.concurrency ?? 4;
  }

  /** Whether the dialog's room can carry groupchat and chat states now. */
  isJoined(dialogId: string): boolean {
    return this.online && this.rooms.get(dialogId)?.state === 'joined';
  }

  /** The room's bare JID. */
  roomJid(dialogId: string): string {
    return roomJid(this.options.appId, dialogId, this.mucDomain);
  }

  /** Follows the dialog list: joins the rooms of new group and public dialogs, leaves those no longer listed. */
  sync(dialogs: readonly QBDialog[]): void {
    const wanted = new Set(dialogs.filter((d) => d.type !== DialogTypes.private).map((d) => d._id));
    for (const [dialogId, room] of this.rooms) {
      if (wanted.has(dialogId)) continue;
      this.rooms.delete(dialogId);
      this.queue.delete(dialogId);
      // A join under way is left too (the server handles the two in order), and ends quietly.
      if (room.state === 'joined' || room.state === 'joining') this.leave(dialogId);
      room.joinId = undefined;
    }
    for (const dialogId of wanted) {
      if (this.rooms.has(dialogId)) continue;
      this.rooms.set(dialogId, { state: 'waiting' });
      if (this.online) this.queue.add(dialogId);
    }
    this.pump();
  }

  /**
   * The session is online. A new session is in no room: every room is joined again. A resumed one
   * is still in the rooms it had joined: only the others are (re)tried.
   */
  connected(resumed: boolean): void {
    this.online = true;
    for (const [dialogId, room] of this.rooms) {
      if (room.state === 'joining' || (resumed && room.state === 'joined')) continue;
      room.state = 'waiting';
      this.queue.add(dialogId);
    }
    this.pump();
  }

  /** The connection is lost: joins under way are abandoned (not failed), and nothing goes to the rooms until it is back. */
  disconnected(): void {
    this.online = false;
    this.queue.clear();
    for (const join of [...this.joins.values()]) {
      join.room.state = 'waiting';
      join.room.joinId = undefined;
      join.reject(new Error('the connection was lost'));
    }
  }

  /** Reads a presence from one of our rooms: the answer to a join, or our removal. Others' presences need nothing. */
  handlePresence(presence: Element): void {
    const from = parseRoomJid(presence.attrs.from ?? '');
    if (!from || from.mucDomain !== this.mucDomain || from.appId !== this.options.appId) return;
    const { dialogId } = from;
    const answering = this.joins.get(presence.attrs.id ?? '');
    const join = answering ?? [...this.joins.values()].find((j) => j.dialogId === dialogId);
    if (presence.attrs.type === 'error') {
      join?.reject(new Error(`the room refused it: ${presenceError(presence)}`));
      return;
    }
    if (from.nick !== String(this.options.userId)) return;
    const x = presence.getChild('x', NS.mucUser);
    const statuses = new Set((x?.getChildren('status') ?? []).map((s) => s.attrs.code));
    const room = this.rooms.get(dialogId);
    if (presence.attrs.type === 'unavailable') {
      const removed = x?.getChild('destroy') !== undefined || [...statuses].some((code) => REMOVED_STATUSES.has(code));
      // A plain one is most likely the answer to a leave sent before this join.
      if (join && (removed || answering)) join.reject(new Error(removed ? 'removed from the room' : 'the room sent us out'));
      else if (room?.state === 'joined') {
        // Not joined again before the next reconnect: the server would most likely send us out again.
        room.state = 'failed';
        this.options.logger.info(`out of the room of dialog ${dialogId}: ${removed ? 'removed by someone else' : 'sent out by the server'}`);
      } else return;
      if (removed && room) this.options.onRemoved(dialogId);
      return;
    }
    if (answering) answering.resolve();
    else if (!statuses.has(SELF_PRESENCE)) return;
    else if (join) join.resolve();
    // An answer that outlived its join (abandoned when the stream dropped, then resumed): we are in.
    else if (room) room.state = 'joined';
  }

  /** Abandons joins under way; the closing stream takes us out of every room. */
  dispose(): void {
    this.disconnected();
    this.rooms.clear();
  }

  private pump(): void {
    while (this.online && this.joins.size < this.concurrency && this.queue.size > 0) {
      const dialogId = this.queue.values().next().value as string;
      this.queue.delete(dialogId);
      const room = this.rooms.get(dialogId);
      if (room?.state === 'waiting') void this.join(dialogId, room);
    }
  }

  private async join(dialogId: string, room: Room): Promise<void> {
    const id = `${randomUUID()}:join`;
    room.state = 'joining';
    room.joinId = id;
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<void>((resolve, reject) => {
      this.joins.set(id, { dialogId, room, resolve, reject });
      timer = setTimeout(() => reject(new Error(`no answer within ${this.joinTimeoutMs} ms`)), this.joinTimeoutMs);
    });
    const presence = xml(
      'presence',
      { id, to: `${this.roomJid(dialogId)}/${this.options.userId}` },
      xml('x', { xmlns: NS.muc }, xml('history', { maxstanzas: 0 })),
    );
    let outcome: Error | undefined;
    try {
      await Promise.all([this.options.send(presence), answered]);
    } catch (error) {
      outcome = error instanceof Error ? error : new Error(String(error));
    } finally {
      clearTimeout(timer);
      this.joins.delete(id);
    }
    // Otherwise abandoned: the lost connection made the room wait for the next connect, not fail.
    if (room.joinId === id) {
      room.joinId = undefined;
      room.state = outcome ? 'failed' : 'joined';
      if (outcome) this.options.logger.warn(`could not join the room of dialog ${dialogId}: ${errorMessage(outcome)}; trying again at the next reconnect`);
    }
    this.pump();
  }

  private leave(dialogId: string): void {
    if (!this.online) return;
    const presence = xml('presence', { type: 'unavailable', to: `${this.roomJid(dialogId)}/${this.options.userId}` });
    this.options.send(presence).catch((error: unknown) => this.options.logger.debug(`leaving the room of dialog ${dialogId}: ${errorMessage(error)}`));
  }
}

/** The error's text, else its condition, as the room put it. */
function presenceError(presence: Element): string {
  const error = presence.getChild('error');
  const text = error?.getChildText('text');
  const condition = error?.getChildElements().find((c) => c.getNS() === NS.stanzas)?.name;
  return text || condition || 'no reason given';
}
