// RFC 6121 §2–3 rosters and subscriptions, with XEP-0237 versions. The SDK asks for the roster on
// every connect and throws on a result without <query/> (protocol spec §7.3), so a full result always
// carries one; only a client that names the current `ver` gets the empty result the XEP allows.
// Subscription presences (`subscribe`, `subscribed`, `unsubscribe`, `unsubscribed`) move both users'
// items through the state machine in roster/subscription.ts; see roster/contacts.ts.
import { xml, type Element } from '@xmpp/xml';
import { bareJid } from '../../../shared/jid';
import { NS } from '../../../shared/stanza';
import type { StanzaContext, XmppModule } from '../router';
import { Contacts, PUSH_ID_PREFIX } from './roster/contacts';
import { itemElement, parseRosterSet, rosterQuery } from './roster/items';
import { resourceState } from './roster/resourceState';
import { receivesPresenceFrom, sendsPresenceTo, SUBSCRIPTION_TYPES, type SubscriptionType } from './roster/subscription';

/** XEP-0237 §2: the stream feature announcing versioning. */
const ROSTER_VERSIONING = 'urn:xmpp:features:rosterver';

export const roster: XmppModule = (ctx) => {
  const { router, host, store } = ctx;
  const contacts = new Contacts(ctx);
  host.features.add(NS.roster);
  host.features.add(ROSTER_VERSIONING);

  host.on(`iq-get/self/${NS.roster}:query`, (c) => {
    const { session, stanza } = c;
    resourceState(session).interested = true;
    const version = store.rosterVersion(session.userId);
    const known = stanza.getChild('query', NS.roster)?.attrs.ver;
    // XEP-0237 §2.4: an up-to-date cache gets an empty result and learns changes from pushes.
    if (known === String(version)) {
      router.reply(c);
      return true;
    }
    const items = store.listRoster(session.userId).map((item) => itemElement(item, contacts.jidOf(item.contactId)));
    router.reply(c, rosterQuery(version, items));
    return true;
  });

  host.on(`iq-set/self/${NS.roster}:query`, (c) => {
    const { session, stanza } = c;
    const query = stanza.getChild('query', NS.roster);
    const request = query ? parseRosterSet(query) : { kind: 'invalid' as const, reason: 'No query' };
    if (request.kind === 'invalid') {
      router.fail(c, 'bad-request', request.reason);
      return true;
    }
    const contactId = contacts.userIdOf(request.jid);
    if (contactId === undefined) {
      router.fail(c, 'item-not-found', `${request.jid} is not a user of this application`);
      return true;
    }
    if (contactId === session.userId) {
      router.fail(c, 'not-allowed', 'A user is not a contact of themself');
      return true;
    }
    const before = contacts.item(session.userId, contactId);
    if (request.kind === 'remove') {
      if (!before.listed) {
        router.fail(c, 'item-not-found', `${request.jid} is not in the roster`);
        return true;
      }
      // RFC 6121 §2.5.2: removing a contact cancels the subscriptions both ways.
      if (receivesPresenceFrom(before) || before.askOut) contacts.send(session.userId, contactId, 'unsubscribe', [], false);
      if (sendsPresenceTo(before) || before.pendingIn) contacts.send(session.userId, contactId, 'unsubscribed', [], false);
      contacts.remove(session.userId, before);
    } else {
      contacts.write(session.userId, before, { ...before, name: request.name, groups: request.groups, listed: true });
    }
    router.reply(c);
    return true;
  });

  // A client's answer to a roster push (RFC 6121 §2.1.6); xmpp.js answers with an error, which is as good.
  host.on('iq/self', (c) => {
    const { type, id } = c.stanza.attrs;
    if ((type !== 'result' && type !== 'error') || !id?.startsWith(PUSH_ID_PREFIX)) return false;
    router.report(c.session, c.stanza, 'handled', 'roster push answered');
    return true;
  });

  const onSubscription = (c: StanzaContext): boolean => {
    const { session, stanza } = c;
    const type = subscriptionType(stanza);
    if (!type) return false;
    const contactId = contacts.userIdOf(c.to);
    if (contactId === undefined || contactId === session.userId) {
      // RFC 6121 §3.1.3: a request to an account that does not exist is answered as refused.
      if (type === 'subscribe') {
        router.deliver(session, xml('presence', { type: 'unsubscribed', from: bareJid(c.to), to: session.bareJid }), 'no such contact');
      }
      router.report(session, stanza, 'rejected', 'not a user of this application');
      return true;
    }
    // What the sender added (a status text, a nick) travels with the stanza.
    const payload = stanza.getChildElements();
    const routed = contacts.send(session.userId, contactId, type, payload);
    router.report(session, stanza, routed ? 'routed' : 'handled', routed ? `${type} to ${contacts.jidOf(contactId)}` : `${type}: no change`);
    return true;
  };
  host.on('presence/bare', onSubscription);
  host.on('presence/full', onSubscription);
};

function subscriptionType(stanza: Element): SubscriptionType | undefined {
  return SUBSCRIPTION_TYPES.find((type) => type === stanza.attrs.type);
}
