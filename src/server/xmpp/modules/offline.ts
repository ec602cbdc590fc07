// Offline message storage (XEP-0160, delivered with XEP-0203 delays; protocol spec §7.14): 1:1
// chat and headline messages to a user with no available resource are queued, and handed to the
// user's next resource on its initial available presence, oldest first, each with
// `<delay from="<domain>" stamp="…"/>`, then deleted. The queue is bounded per user
// (OFFLINE_QUEUE_LIMIT): past it a new message is refused with <service-unavailable/> (XEP-0160 §3)
// rather than silently pushing out an older one the sender believes delivered.
// Messages a stream-managed session never acknowledged (XEP-0198 `session-lost`) come back here too.
import { xml, type Element } from '@xmpp/xml';
import { bareJid, parseUserJid } from '../../../shared/jid';
import { NS } from '../../../shared/stanza';
import type { ChatStore } from '../../store/chatStore';
import type { ModuleContext, Router, Session, XmppModule } from '../router';
import { expiredRule, performAmpAction } from './amp';

/** Queued stanzas per user; generous for a development server, small enough to stay cheap. */
export const OFFLINE_QUEUE_LIMIT = 1000;

/** The stanza as JSON: the store keeps text, and this needs no XML parser to come back. */
interface Tree {
  n: string;
  a: Record<string, string>;
  c: (Tree | string)[];
}

export const offline: XmppModule = (ctx) => {
  const { router, host, store, logger } = ctx;
  host.features.add('msgoffline');

  // Ahead of presence.ts, which makes the resource available; the queue follows once it has.
  host.on(
    'presence/self',
    ({ session, stanza }) => {
      if (stanza.attrs.type === undefined && !session.available) {
        queueMicrotask(() => {
          if (session.available) deliverQueued(ctx, session);
        });
      }
      return false;
    },
    10,
  );

  router.lifecycle.on('session-lost', (bare, unacked) => {
    const user = parseUserJid(bare);
    if (!user) return;
    const others = router.availableResources(bare);
    // One commit for the whole queue, not one per stanza.
    store.transaction(() => {
      for (const stanza of unacked) {
        if (stanza.name !== 'message' || stanza.getChild('sent', NS.carbons) || !isQueueable(stanza)) continue;
        if (others.length > 0) {
          // Sent to the bare JID, the other resources had their own copy; to the lost full JID, they did not.
          if (stanza.attrs.to !== bare) for (const other of others) router.deliver(other, stanza, 'unacknowledged by a lost session');
        } else if (!queueOffline(store, user.userId, stanza)) {
          logger.warn(`offline queue of ${bare} is full; an unacknowledged message was dropped`);
        }
      }
    });
  });
};

/** Chat with content (not a bare chat state) and headlines are worth keeping for later. */
export function isQueueable(stanza: Element): boolean {
  const type = stanza.attrs.type;
  if (type === 'headline') return true;
  if (type !== 'chat') return false;
  return stanza.getChildElements().some((c) => c.getNS() !== NS.chatStates);
}

/** Queues the stanza for the user; false when the queue is full. */
export function queueOffline(store: ChatStore, userId: number, stanza: Element): boolean {
  return store.queueOffline(userId, JSON.stringify(toTree(stanza)), OFFLINE_QUEUE_LIMIT);
}

function deliverQueued({ router, host, store }: Pick<ModuleContext, 'router' | 'host' | 'store'>, session: Session): void {
  for (const record of store.takeOffline(session.userId)) {
    const message = fromTree(JSON.parse(record.stanza) as Tree);
    const expired = expiredRule(message);
    if (expired) {
      performAmpAction(router, host.domain, senderSession(router, message), message, expired);
      continue;
    }
    // XEP-0203: when the server got it; a stanza queued twice (lost again) keeps its first stamp.
    if (!message.getChild('delay', NS.delay)) {
      message.append(xml('delay', { xmlns: NS.delay, from: host.domain, stamp: new Date(record.queuedAt).toISOString() }));
    }
    router.deliver(session, message, 'offline message');
  }
}

/** Where an AMP notice about a stored message goes: the resource that sent it, if still online. */
function senderSession(router: Router, message: Element): Session | undefined {
  const from = message.attrs.from ?? '';
  const exact = router.resource(from);
  return exact?.available ? exact : router.availableResources(bareJid(from))[0];
}

function toTree(element: Element): Tree {
  return { n: element.name, a: element.attrs, c: element.children.map((c) => (typeof c === 'string' ? c : toTree(c))) };
}

function fromTree(tree: Tree): Element {
  return xml(tree.n, tree.a, ...tree.c.map((c) => (typeof c === 'string' ? c : fromTree(c))));
}
