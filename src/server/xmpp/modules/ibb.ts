// XEP-0047 In-Band Bytestreams between two users' resources. The iq form (open, data, close and
// their results) needs nothing here: the router relays iq addressed to a connected full JID, after
// privacy lists had their say. The message form (`<data/>` in a message that is not chat, which
// messages.ts already routes) is routed like chat but never stored or queued: a bytestream lives only
// as long as both sessions.
import type { StanzaContext, XmppModule } from '../router';
import { readAmpRules } from './amp';
import { recipientOf, routeMessage } from './messages';
import { rejectBlockedMessage } from './privacy';

const NS_IBB = 'http://jabber.org/protocol/ibb';

export const ibb: XmppModule = (moduleCtx) => {
  const { router, host } = moduleCtx;
  host.features.add(NS_IBB);
  const onData = (ctx: StanzaContext): boolean => {
    const type = ctx.stanza.attrs.type;
    if ((type !== undefined && type !== 'normal') || !ctx.stanza.getChild('data', NS_IBB)) return false;
    const recipient = recipientOf(moduleCtx, ctx);
    if (!recipient || rejectBlockedMessage(moduleCtx, ctx)) return true;
    const rules = readAmpRules(router, host.domain, ctx);
    if (!rules) return true;
    routeMessage(moduleCtx, ctx, ctx.stanza, { recipientId: recipient, rules, offline: false });
    return true;
  };
  host.on('message/bare', onData);
  host.on('message/full', onData);
};
