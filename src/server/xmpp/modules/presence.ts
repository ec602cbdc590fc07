// RFC 6121 §4 presence. A resource's initial presence makes it available (only available resources
// get chat routed to the bare JID, §8.5.2), goes to the contacts allowed to see it (subscription
// from/both) and to the user's own resources, and brings back what the resource missed: the current
// presence of every contact it sees (the server probes itself, both ends being local) and the
// subscription requests still waiting for an answer. Updates and the unavailable presence travel the
// same way, also to whoever got directed presence; a stream that ends without one counts as one.
// Directed presence to a user is routed as it is. Presence to rooms belongs to the MUC host.
// Privacy lists (XEP-0016) apply on every path: a presence goes nowhere the sender's list denies
// <presence-out/> or the recipient's denies <presence-in/> (privacy.ts, presenceBlocked).
import { xml, type Element } from '@xmpp/xml';
import { bareJid } from '../../../shared/jid';
import { cloneElement } from '../../../shared/stanza';
import type { Router, Session, StanzaContext, XmppModule } from '../router';
import { presenceBlocked } from './privacy';
import { addressed, Contacts } from './roster/contacts';
import { resourceState } from './roster/resourceState';
import { receivesPresenceFrom, sendsPresenceTo } from './roster/subscription';

/**
 * Distinct targets of directed presence one resource remembers (RFC 6121 §4.6.3); past it, further
 * directed presence is still routed but not remembered, so a client cannot grow the server's memory.
 */
export const MAX_DIRECTED_PRESENCE = 1000;

export const presence: XmppModule = (ctx) => {
  const { router, host, store, logger } = ctx;
  const contacts = new Contacts(ctx);

  /** Where the session's broadcast goes: contacts allowed to see it, the user's available resources, directed targets. */
  const audience = (session: Session): Session[] => {
    const recipients = new Set(router.availableResources(session.bareJid));
    for (const item of store.listRoster(session.userId)) {
      if (!sendsPresenceTo(item)) continue;
      for (const s of router.availableResources(contacts.jidOf(item.contactId))) recipients.add(s);
    }
    for (const jid of resourceState(session).directed) for (const s of recipientsOf(router, jid)) recipients.add(s);
    return [...recipients].filter((recipient) => recipient.bareJid === session.bareJid || !presenceBlocked(ctx, session.jid, recipient.jid));
  };

  const broadcast = (session: Session, stanza: Element, detail: string): void => {
    for (const recipient of audience(session)) router.deliver(recipient, addressed(stanza, recipient.bareJid), detail);
  };

  /** What a resource that just came online missed: its contacts' presences and the requests waiting for it. */
  const catchUp = (session: Session): void => {
    const seen = store.listRoster(session.userId).filter(receivesPresenceFrom).map((item) => contacts.jidOf(item.contactId));
    for (const jid of [...seen, session.bareJid]) {
      for (const other of router.availableResources(jid)) {
        const current = resourceState(other).presence;
        if (other === session || !current || (other.bareJid !== session.bareJid && presenceBlocked(ctx, other.jid, session.jid))) continue;
        router.deliver(session, addressed(current, session.jid), 'current presence');
      }
    }
    for (const requester of store.pendingSubscribers(session.userId)) {
      contacts.deliverSubscription(session.userId, requester, 'subscribe', [], session);
    }
  };

  const goUnavailable = (session: Session, stanza: Element): void => {
    const state = resourceState(session);
    const wasAvailable = state.presence !== undefined;
    state.presence = undefined;
    session.available = false;
    store.recordLastSeen(session.userId, Date.now());
    if (wasAvailable || state.directed.size > 0) broadcast(session, stanza, 'unavailable');
    state.directed.clear();
  };

  host.on('presence/self', (c) => {
    const { session, stanza } = c;
    const type = stanza.attrs.type;
    if (type !== undefined && type !== 'unavailable') return false;
    const stamped = xml('presence', { ...stanza.attrs, to: undefined }, ...stanza.getChildElements().map(cloneElement));
    if (type === 'unavailable') {
      goUnavailable(session, stamped);
      router.report(session, stanza, 'handled', 'unavailable');
      return true;
    }
    const state = resourceState(session);
    const initial = state.presence === undefined;
    state.presence = stamped;
    session.available = true;
    broadcast(session, stamped, initial ? 'initial presence' : 'presence update');
    if (initial) catchUp(session);
    router.report(session, stanza, 'handled', 'available');
    return true;
  });

  const onDirected = (c: StanzaContext): boolean => {
    const { session, stanza } = c;
    const type = stanza.attrs.type;
    if (type === 'probe') return probe(c);
    if (type !== undefined && type !== 'unavailable' && type !== 'error') return false;
    // RFC 6121 §4.6.3: the target must learn when this resource goes, even without a subscription.
    // Only local users can be remembered (anything else reaches nobody), and only so many of them.
    const { directed } = resourceState(session);
    if (type === undefined && contacts.userIdOf(c.to) !== undefined && directed.size < MAX_DIRECTED_PRESENCE) directed.add(c.to);
    else if (type === 'unavailable') directed.delete(c.to);
    const recipients = recipientsOf(router, c.to).filter((recipient) => !presenceBlocked(ctx, session.jid, recipient.jid));
    for (const recipient of recipients) router.deliver(recipient, stanza, `directed presence from ${session.jid}`);
    router.report(session, stanza, recipients.length > 0 ? 'routed' : 'dropped-offline', `directed presence to ${c.to}`);
    return true;
  };

  /** RFC 6121 §4.3: a client's own probe gets the contact's current presence, if it may see it. */
  const probe = (c: StanzaContext): boolean => {
    const { session, stanza } = c;
    const contactId = contacts.userIdOf(c.to);
    const allowed = contactId !== undefined && receivesPresenceFrom(contacts.item(session.userId, contactId));
    const answers = allowed
      ? router.availableResources(bareJid(c.to)).filter((s) => resourceState(s).presence && !presenceBlocked(ctx, s.jid, session.jid))
      : [];
    for (const contact of answers) {
      const current = resourceState(contact).presence;
      if (current) router.deliver(session, addressed(current, session.jid), 'probe answer');
    }
    router.report(session, stanza, 'handled', allowed ? `probe: ${answers.length} available` : 'probe: not subscribed');
    return true;
  };

  host.on('presence/bare', onDirected);
  host.on('presence/full', onDirected);

  // A stream that ended (and cannot be resumed any more) without saying goodbye: tell the contacts.
  router.lifecycle.on('unbound', (session) => {
    try {
      goUnavailable(session, xml('presence', { type: 'unavailable', from: session.jid }));
    } catch (error) {
      logger.error(error instanceof Error ? error : String(error));
    }
  });
};

/** A full JID reaches that resource when it is available; a bare one every available resource. */
function recipientsOf(router: Router, jid: string): Session[] {
  if (jid.includes('/')) {
    const resource = router.resource(jid);
    return resource?.available ? [resource] : [];
  }
  return router.availableResources(jid);
}
