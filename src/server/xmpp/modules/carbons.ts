// XEP-0280 Message Carbons, per resource: the SDK enables them on every connect (protocol spec
// §7.12). A 1:1 chat message a resource sends is copied, wrapped in `<sent><forwarded>`, to the
// sender's other available resources that enabled carbons (messages.ts calls sendCarbons once the
// message is accepted). There are no `<received>` copies: a chat message already reaches every
// available resource of its recipient, and the SDK would take that wrapper for a delivery marker.
import { xml, type Element } from '@xmpp/xml';
import { cloneElement, NS } from '../../../shared/stanza';
import type { Router, Session, XmppModule } from '../router';

const NS_FORWARD = 'urn:xmpp:forward:0';
const NS_HINTS = 'urn:xmpp:hints';

/** Keyed by the session object, so a resource's choice ends with its stream. */
const enabled = new WeakSet<Session>();

export const carbons: XmppModule = ({ router, host }) => {
  host.features.add(NS.carbons);
  host.on(`iq-set/self/${NS.carbons}:enable`, (ctx) => {
    enabled.add(ctx.session);
    router.reply(ctx);
    return true;
  });
  host.on(`iq-set/self/${NS.carbons}:disable`, (ctx) => {
    enabled.delete(ctx.session);
    router.reply(ctx);
    return true;
  });
};

/**
 * Sends `<sent/>` copies of `message` (as routed, so with the stored ids) to the sender's other
 * carbons-enabled resources, unless it carries `<private/>` (XEP-0280 §7) or `<no-copy/>` (XEP-0334).
 */
export function sendCarbons(router: Router, sender: Session, message: Element): void {
  if (message.getChild('private', NS.carbons) || message.getChild('no-copy', NS_HINTS)) return;
  for (const resource of router.availableResources(sender.bareJid)) {
    if (resource === sender || !enabled.has(resource)) continue;
    const forwarded = cloneElement(message);
    forwarded.attrs.xmlns = NS.client;
    router.deliver(
      resource,
      xml('message', { from: sender.bareJid, to: resource.jid, type: message.attrs.type }, xml('sent', { xmlns: NS.carbons }, xml('forwarded', { xmlns: NS_FORWARD }, forwarded))),
      `carbon of a message from ${sender.jid}`,
    );
  }
}
