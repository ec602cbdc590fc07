// XEP-0016 Privacy Lists as the SDK uses them (protocol spec §7.11): named lists of ordered
// allow/deny items per user (stored), a default list (stored) and an active list per resource
// (in memory: XEP-0016 scopes it to the session). The first item that matches the other party and
// applies to the stanza kind decides. An item with child elements applies to those kinds of
// incoming stanzas (plus outgoing presence for <presence-out/>); an item without any blocks all
// communication both ways, which is the SDK's `mutualBlock`.
// Blocked 1:1 messages are answered <service-unavailable/> (code 503) and not delivered; presence
// routing (presence.ts) asks presenceBlocked, and iq relayed between resources is checked below.
// Privacy pushes are not sent: the SDK has no handler.
import { xml, type Element } from '@xmpp/xml';
import { bareJid, parseUserJid, splitJid } from '../../../shared/jid';
import type { ChatStore, PrivacyItemRecord, PrivacyStanzaKind } from '../../store/chatStore';
import type { ModuleContext, Router, Session, StanzaContext, XmppModule } from '../router';

const NS_PRIVACY = 'jabber:iq:privacy';
const KINDS: readonly PrivacyStanzaKind[] = ['message', 'presence-in', 'presence-out', 'iq'];
const SUBSCRIPTIONS = ['none', 'to', 'from', 'both'];

/** The list a resource activated; keyed by the session object so it ends with the stream. */
const activeLists = new WeakMap<Session, string>();

type PrivacyContext = Pick<ModuleContext, 'router' | 'store'>;

/**
 * Whether a stanza of `kind` from `from` to `to` (JIDs, bare or full) must not pass. For `message`,
 * `presence-in` and `iq` the recipient's list is asked about the sender, and the sender's list is
 * asked whether it blocks all communication with the recipient; for `presence-out` the sender's list
 * is asked about the recipient.
 */
export function isBlocked({ router, store }: PrivacyContext, from: string, to: string, kind: PrivacyStanzaKind): boolean {
  if (kind === 'presence-out') return denies(router, store, from, to, kind);
  return denies(router, store, to, from, kind) || denies(router, store, from, to, undefined);
}

/** Whether a presence from `from` must not reach `to`: the sender's list denies it out, or the recipient's in. */
export function presenceBlocked(ctx: PrivacyContext, from: string, to: string): boolean {
  return isBlocked(ctx, from, to, 'presence-out') || isBlocked(ctx, from, to, 'presence-in');
}

/** Answers a 1:1 message between users a privacy list keeps apart (spec §7.5, §7.11); true when it did. */
export function rejectBlockedMessage(ctx: PrivacyContext, stanzaCtx: StanzaContext): boolean {
  if (!isBlocked(ctx, stanzaCtx.session.jid, stanzaCtx.to, 'message')) return false;
  ctx.router.fail(stanzaCtx, 'service-unavailable', 'A privacy list blocks messages between these users');
  return true;
}

export const privacy: XmppModule = (ctx) => {
  const { router, host, store } = ctx;
  host.features.add(NS_PRIVACY);

  host.on(`iq-get/self/${NS_PRIVACY}:query`, (stanzaCtx) => {
    const { session, stanza } = stanzaCtx;
    const requested = stanza.getChild('query', NS_PRIVACY)?.getChildElements() ?? [];
    if (requested.length === 0) {
      const active = activeLists.get(session);
      const defaultName = store.defaultPrivacyList(session.userId);
      router.reply(
        stanzaCtx,
        xml(
          'query',
          { xmlns: NS_PRIVACY },
          active === undefined ? undefined : xml('active', { name: active }),
          defaultName === undefined ? undefined : xml('default', { name: defaultName }),
          ...store.privacyListNames(session.userId).map((name) => xml('list', { name })),
        ),
      );
      return true;
    }
    const [list] = requested;
    // XEP-0016 §2.3: one list per request.
    if (requested.length > 1 || !list.is('list') || !list.attrs.name) {
      router.fail(stanzaCtx, 'bad-request', 'Ask for the names, or for one list');
      return true;
    }
    const items = store.getPrivacyList(session.userId, list.attrs.name);
    if (!items) router.fail(stanzaCtx, 'item-not-found', `No privacy list named ${list.attrs.name}`);
    else router.reply(stanzaCtx, xml('query', { xmlns: NS_PRIVACY }, xml('list', { name: list.attrs.name }, ...items.map(itemElement))));
    return true;
  });

  host.on(`iq-set/self/${NS_PRIVACY}:query`, (stanzaCtx) => {
    const { session, stanza } = stanzaCtx;
    const children = stanza.getChild('query', NS_PRIVACY)?.getChildElements() ?? [];
    const [child] = children;
    // XEP-0016 §2.4–2.6: exactly one of <active/>, <default/>, <list/> per set.
    if (children.length !== 1 || !['active', 'default', 'list'].includes(child.name)) {
      router.fail(stanzaCtx, 'bad-request', 'A privacy set carries exactly one <active/>, <default/> or <list/>');
      return true;
    }
    const name = child.attrs.name;
    const known = name !== undefined && store.getPrivacyList(session.userId, name) !== undefined;
    if (child.name !== 'list' && name !== undefined && !known) {
      router.fail(stanzaCtx, 'item-not-found', `No privacy list named ${name}`);
      return true;
    }
    if (child.name === 'active') {
      if (name === undefined) activeLists.delete(session);
      else activeLists.set(session, name);
    } else if (child.name === 'default') {
      store.setDefaultPrivacyList(session.userId, name);
    } else if (!name) {
      router.fail(stanzaCtx, 'bad-request', 'A privacy list needs a name');
      return true;
    } else if (child.getChildren('item').length === 0) {
      // §2.6: a list without items is a removal (the SDK's privacylist.delete).
      if (!store.deletePrivacyList(session.userId, name)) {
        router.fail(stanzaCtx, 'item-not-found', `No privacy list named ${name}`);
        return true;
      }
    } else {
      const items = child.getChildren('item').map(parseItem);
      const bad = items.find((item): item is string => typeof item === 'string');
      if (bad !== undefined) {
        router.fail(stanzaCtx, 'bad-request', bad);
        return true;
      }
      store.putPrivacyList(session.userId, name, items as PrivacyItemRecord[]);
    }
    router.reply(stanzaCtx);
    return true;
  });

  // iq between users' resources (in-band bytestreams and the like), before the router relays it.
  host.on(
    'iq/full',
    (stanzaCtx) => {
      if (!isBlocked(ctx, stanzaCtx.session.jid, stanzaCtx.to, 'iq')) return false;
      const type = stanzaCtx.stanza.attrs.type;
      if (type === 'get' || type === 'set') router.fail(stanzaCtx, 'service-unavailable', 'A privacy list blocks this');
      else router.report(stanzaCtx.session, stanzaCtx.stanza, 'rejected', 'privacy list');
      return true;
    },
    10,
  );
};

/** Whether `owner`'s effective list denies `other` the stanza kind (undefined: only all-blocking items count). */
function denies(router: Router, store: ChatStore, owner: string, other: string, kind: PrivacyStanzaKind | undefined): boolean {
  const ownerUser = parseUserJid(owner);
  if (!ownerUser) return false;
  const items = effectiveList(router, store, bareJid(owner), ownerUser.userId);
  if (!items) return false;
  const otherUser = parseUserJid(other);
  for (const item of items) {
    const applies = item.stanzas.length === 0 || (kind !== undefined && item.stanzas.includes(kind));
    if (applies && matches(store, ownerUser.userId, item, other, otherUser?.userId)) return item.action === 'deny';
  }
  return false;
}

/** A resource's active list wins over the default (XEP-0016 §2.2); any available resource's counts for its user. */
function effectiveList(router: Router, store: ChatStore, bare: string, userId: number): PrivacyItemRecord[] | undefined {
  for (const session of router.availableResources(bare)) {
    const active = activeLists.get(session);
    const items = active === undefined ? undefined : store.getPrivacyList(userId, active);
    if (items) return items;
  }
  const defaultName = store.defaultPrivacyList(userId);
  return defaultName === undefined ? undefined : store.getPrivacyList(userId, defaultName);
}

function matches(store: ChatStore, ownerId: number, item: PrivacyItemRecord, jid: string, userId: number | undefined): boolean {
  switch (item.type) {
    case undefined:
      return true;
    case 'jid':
      return jidMatches(item.value ?? '', jid);
    case 'subscription':
      return (userId === undefined ? 'none' : (store.getRosterItem(ownerId, userId)?.subscription ?? 'none')) === item.value;
    case 'group':
      return userId !== undefined && (store.getRosterItem(ownerId, userId)?.groups.includes(item.value ?? '') ?? false);
  }
}

/**
 * XEP-0016 §2.1 JID matching: user@domain/resource, user@domain, domain/resource, domain. The SDK's
 * second item per user, `muc.<domain>/<userId>`, names that user in every room, so domain/resource
 * also matches occupant JIDs (`room@muc.<domain>/<userId>`).
 */
function jidMatches(value: string, jid: string): boolean {
  const v = value.toLowerCase();
  const j = jid.toLowerCase();
  if (v.includes('@')) return v.includes('/') ? v === j : v === bareJid(j);
  const parts = splitJid(j);
  const domain = parts?.domain ?? bareJid(j);
  const resource = parts ? parts.resource : j.includes('/') ? j.slice(j.indexOf('/') + 1) : undefined;
  const slash = v.indexOf('/');
  return slash === -1 ? domain === v : domain === v.slice(0, slash) && resource === v.slice(slash + 1);
}

/** An item, or the reason it is invalid. */
function parseItem(element: Element): PrivacyItemRecord | string {
  const { type, value, action, order } = element.attrs;
  if (action !== 'allow' && action !== 'deny') return 'Each item needs action="allow" or action="deny"';
  if (!/^\d+$/.test(order ?? '')) return 'Each item needs a non-negative integer order';
  if (type !== undefined && type !== 'jid' && type !== 'group' && type !== 'subscription') return `Unknown item type ${type}`;
  if (type !== undefined && !value) return 'A typed item needs a value';
  if (type === 'subscription' && !SUBSCRIPTIONS.includes(value ?? '')) return `Unknown subscription ${value}`;
  const stanzas = element.getChildElements().map((c) => c.name as PrivacyStanzaKind);
  if (stanzas.some((kind) => !KINDS.includes(kind))) return 'Item children are message, presence-in, presence-out or iq';
  return { type, value, action, order: Number(order), stanzas };
}

function itemElement(item: PrivacyItemRecord): Element {
  return xml(
    'item',
    { type: item.type, value: item.value, action: item.action, order: item.order },
    ...item.stanzas.map((kind) => xml(kind)),
  );
}
