// RFC 6121 §2 roster, read-only and empty for now: the SDK asks for the roster on every connect and
// throws on a result without <query/> (protocol spec §7.3), so an empty <query/> is the minimum.
import { xml } from '@xmpp/xml';
import { NS } from '../../../shared/stanza';
import type { XmppModule } from '../router';

export const roster: XmppModule = ({ router, host }) => {
  host.on(`iq-get/self/${NS.roster}:query`, (ctx) => {
    router.reply(ctx, xml('query', { xmlns: NS.roster }));
    return true;
  });
};
