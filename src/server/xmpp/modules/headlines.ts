// System notifications (protocol spec §7.8): `headline` messages to a user are routed to the user's
// available resources with `from` stamped (the SDK derives the sender's id from it), queued offline
// when there is none, and never stored in the history. The Node SDK dereferences `<extraParams>` of
// every headline it receives, so one without gets `moduleIdentifier=SystemNotifications`.
// Headlines to rooms belong to the MUC module.
import type { Element } from '@xmpp/xml';
import { setExtraParam, cloneElement } from '../../../shared/stanza';
import type { StanzaContext, XmppModule } from '../router';
import { readAmpRules } from './amp';
import { recipientOf, routeMessage } from './messages';
import { rejectBlockedMessage } from './privacy';

export const SYSTEM_NOTIFICATIONS = 'SystemNotifications';

/** A copy of a headline to route, with the `<extraParams>` the Node SDK dereferences added when missing (spec §7.8). */
export function routableHeadline(stanza: Element): Element {
  const routed = cloneElement(stanza);
  if (!routed.getChild('extraParams')) setExtraParam(routed, 'moduleIdentifier', SYSTEM_NOTIFICATIONS);
  return routed;
}

export const headlines: XmppModule = (moduleCtx) => {
  const { router, host } = moduleCtx;
  const onHeadline = (ctx: StanzaContext): boolean => {
    if (ctx.stanza.attrs.type !== 'headline') return false;
    const recipient = recipientOf(moduleCtx, ctx);
    if (!recipient || rejectBlockedMessage(moduleCtx, ctx)) return true;
    const rules = readAmpRules(router, host.domain, ctx);
    if (!rules) return true;
    routeMessage(moduleCtx, ctx, routableHeadline(ctx.stanza), { recipientId: recipient, rules, offline: true });
    return true;
  };
  host.on('message/bare', onHeadline);
  host.on('message/full', onHeadline);
};
