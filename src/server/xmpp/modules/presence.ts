// RFC 6121 §4 availability of the sender's own resource. Only available resources receive chat
// routed to the bare JID (RFC 6121 §8.5.2), so the initial presence is what puts a client online.
// Broadcasting to contacts comes with subscriptions; the stream's end unbinds the resource anyway.
import type { XmppModule } from '../router';

export const presence: XmppModule = ({ router, host }) => {
  host.on('presence/self', (ctx) => {
    const type = ctx.stanza.attrs.type;
    if (type !== undefined && type !== 'unavailable') return false;
    ctx.session.available = type === undefined;
    router.report(ctx.session, ctx.stanza, 'handled', ctx.session.available ? 'available' : 'unavailable');
    return true;
  });
};
