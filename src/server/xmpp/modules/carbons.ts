// XEP-0280 Message Carbons, accepted but not yet delivered: the SDK enables carbons on every connect
// and ignores the answer (protocol spec §7.12), so it gets a result. The feature is not advertised in
// disco until `<sent/>` copies exist; chat to a bare JID already reaches every available resource.
import { NS } from '../../../shared/stanza';
import type { XmppModule } from '../router';

export const carbons: XmppModule = ({ router, host }) => {
  host.on(`iq-set/self/${NS.carbons}:enable`, router.acknowledge);
  host.on(`iq-set/self/${NS.carbons}:disable`, router.acknowledge);
};
