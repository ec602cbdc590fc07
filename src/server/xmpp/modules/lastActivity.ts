// XEP-0012 Last Activity. To a user's bare JID: 0 seconds while one of their resources is available,
// else the seconds since they were last online, and <item-not-found/> for someone never seen (the SDK
// reads `seconds` and hands it to onLastUserActivityListener, protocol spec §7.10). QuickBlox answers
// about any user, not only contacts, so this does too. To the server: its uptime.
import { xml } from '@xmpp/xml';
import { bareJid } from '../../../shared/jid';
import type { StanzaContext, XmppModule } from '../router';
import { localUserId } from './roster/contacts';

const NS_LAST = 'jabber:iq:last';

export const lastActivity: XmppModule = (moduleCtx) => {
  const { router, host, store } = moduleCtx;
  const startedAt = Date.now();
  host.features.add(NS_LAST);
  const answer = (ctx: StanzaContext, seconds: number) => router.reply(ctx, xml('query', { xmlns: NS_LAST, seconds: String(seconds) }));
  const secondsSince = (ms: number) => Math.max(0, Math.floor((Date.now() - ms) / 1000));

  host.on(`iq-get/host/${NS_LAST}:query`, (ctx) => {
    answer(ctx, secondsSince(startedAt));
    return true;
  });

  const aboutUser = (ctx: StanzaContext): boolean => {
    const userId = localUserId(moduleCtx, ctx.to);
    if (userId === undefined) {
      router.fail(ctx, 'item-not-found', 'No such user');
      return true;
    }
    if (router.availableResources(bareJid(ctx.to)).length > 0) {
      answer(ctx, 0);
      return true;
    }
    const seen = store.lastSeen(userId);
    if (seen === undefined) router.fail(ctx, 'item-not-found', 'This user has not been online yet');
    else answer(ctx, secondsSince(seen));
    return true;
  };
  host.on(`iq-get/bare/${NS_LAST}:query`, aboutUser);
  host.on(`iq-get/self/${NS_LAST}:query`, aboutUser);
};
