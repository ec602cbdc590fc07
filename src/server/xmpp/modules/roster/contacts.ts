// Rosters and subscriptions between local users (RFC 6121 §2–3), shared by the roster and presence
// modules. Both ends of a subscription live on this server, so one call moves both sides: the
// sender's item (outbound), then the contact's (inbound), each stored, pushed to its owner's
// interested resources, and followed by the presence that the new state lets through or cuts off.
import { xml, type Element } from '@xmpp/xml';
import { parseUserJid, userJid } from '../../../../shared/jid';
import { cloneElement, NS } from '../../../../shared/stanza';
import type { RosterItemRecord } from '../../../store/chatStore';
import type { ModuleContext, Session } from '../../router';
import { userExists } from '../../userLookup';
import { presenceBlocked } from '../privacy';
import { itemElement, removedItemElement } from './items';
import { resourceState } from './resourceState';
import { NO_SUBSCRIPTION, receivesPresenceFrom, sameState, transition, type SubscriptionType } from './subscription';

/** Roster pushes carry ids with this prefix, so that the clients' answers can be told apart. */
export const PUSH_ID_PREFIX = 'push-';
let pushCounter = 0;

export class Contacts {
  constructor(private readonly ctx: ModuleContext) {}

  jidOf(userId: number): string {
    return userJid(userId, this.ctx.appId, this.ctx.host.domain);
  }

  /** The local user a JID names (any resource); rosters hold users of this application only. */
  userIdOf(jid: string): number | undefined {
    return localUserId(this.ctx, jid);
  }

  /** The owner's item for the contact, or a blank one. */
  item(ownerId: number, contactId: number): RosterItemRecord {
    return this.ctx.store.getRosterItem(ownerId, contactId) ?? { contactId, name: null, groups: [], ...NO_SUBSCRIPTION };
  }

  /** Stores the item (a blank unlisted one is deleted) and pushes the change when it is in the roster. */
  write(ownerId: number, before: RosterItemRecord, after: RosterItemRecord): void {
    if (sameState(before, after) && before.name === after.name && before.groups.join('\n') === after.groups.join('\n')) return;
    const blank = !after.listed && !after.pendingIn && !after.askOut && after.subscription === 'none';
    const version = blank ? this.ctx.store.deleteRosterItem(ownerId, after.contactId) : this.ctx.store.putRosterItem(ownerId, after);
    if (before.listed || after.listed) {
      const jid = this.jidOf(after.contactId);
      this.push(ownerId, after.listed ? itemElement(after, jid) : removedItemElement(jid), version);
    }
  }

  /** Deletes the owner's item, pushes the removal, and cuts the contact's presence off. */
  remove(ownerId: number, before: RosterItemRecord): void {
    const version = this.ctx.store.deleteRosterItem(ownerId, before.contactId);
    this.push(ownerId, removedItemElement(this.jidOf(before.contactId)), version);
    this.movePresence(ownerId, before, { ...before, ...NO_SUBSCRIPTION });
  }

  /** RFC 6121 §2.1.6: a roster push to each resource of the owner that asked for the roster. */
  push(ownerId: number, item: Element, version: number): void {
    for (const session of this.ctx.router.boundResources(this.jidOf(ownerId))) {
      if (!resourceState(session).interested) continue;
      const iq = xml('iq', { type: 'set', id: `${PUSH_ID_PREFIX}${++pushCounter}`, to: session.jid }, xml('query', { xmlns: NS.roster, ver: String(version) }, item));
      this.ctx.router.deliver(session, iq, 'roster push');
    }
  }

  /**
   * A subscription stanza from the owner to the contact (RFC 6121 §3): the owner's side moves, then,
   * if the stanza goes on, the contact's. `moveOwner: false` leaves the owner's item to the caller
   * (a roster remove deletes it instead). Returns whether the stanza was routed to the contact.
   */
  send(ownerId: number, contactId: number, type: SubscriptionType, payload: Element[] = [], moveOwner = true): boolean {
    const before = this.item(ownerId, contactId);
    const outbound = transition(before, 'outbound', type);
    const after = { ...before, ...outbound.state };
    if (moveOwner) this.write(ownerId, before, after);
    if (outbound.forward) this.receive(contactId, ownerId, type, payload);
    if (moveOwner) this.movePresence(ownerId, before, after);
    return outbound.forward;
  }

  /** The owner receives a subscription stanza from the contact. */
  private receive(ownerId: number, contactId: number, type: SubscriptionType, payload: Element[]): void {
    const before = this.item(ownerId, contactId);
    const inbound = transition(before, 'inbound', type);
    const after = { ...before, ...inbound.state };
    this.write(ownerId, before, after);
    // Offline, a request stays pending in the store and is delivered at the next available presence.
    if (inbound.forward) this.deliverSubscription(ownerId, contactId, type, payload);
    // The SDK updates its contact list from the `subscribed` stanza, so the contact's presence follows it.
    this.movePresence(ownerId, before, after);
    // The owner's server answers for it: the request comes from a contact it already approved.
    if (inbound.autoReply) this.receive(contactId, ownerId, inbound.autoReply, []);
  }

  /** `type` from the contact's bare JID to the owner's available resources, or to `only` (RFC 6121 §3.1.3: stamped with the bare JID). */
  deliverSubscription(ownerId: number, contactId: number, type: SubscriptionType, payload: Element[] = [], only?: Session): void {
    const to = this.jidOf(ownerId);
    for (const session of only ? [only] : this.ctx.router.availableResources(to)) {
      this.ctx.router.deliver(session, xml('presence', { type, from: this.jidOf(contactId), to }, ...payload.map(cloneElement)), `subscription ${type}`);
    }
  }

  /** When the owner starts seeing the contact, the contact's presence follows; when it stops, an unavailable one does. */
  private movePresence(ownerId: number, before: RosterItemRecord, after: RosterItemRecord): void {
    const saw = receivesPresenceFrom(before);
    const sees = receivesPresenceFrom(after);
    if (saw === sees) return;
    const owners = this.ctx.router.availableResources(this.jidOf(ownerId));
    for (const contact of this.ctx.router.availableResources(this.jidOf(after.contactId))) {
      const presence = resourceState(contact).presence;
      for (const owner of owners) {
        if (presenceBlocked(this.ctx, contact.jid, owner.jid)) continue;
        if (sees && presence) this.ctx.router.deliver(owner, addressed(presence, owner.bareJid), 'presence of a new contact');
        if (!sees) this.ctx.router.deliver(owner, xml('presence', { type: 'unavailable', from: contact.jid, to: owner.bareJid }), 'contact removed');
      }
    }
  }
}

/** The existing user of this application and domain a JID names (any resource), else undefined. */
export function localUserId({ store, appId, host }: Pick<ModuleContext, 'store' | 'appId' | 'host'>, jid: string): number | undefined {
  const address = parseUserJid(jid);
  if (!address || address.appId !== appId || address.domain !== host.domain) return undefined;
  return userExists(store, address.userId) ? address.userId : undefined;
}

/** A copy of a presence addressed to `to`. */
export function addressed(presence: Element, to: string): Element {
  const copy = cloneElement(presence);
  copy.attrs.to = to;
  return copy;
}
