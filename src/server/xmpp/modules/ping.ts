// XEP-0199 XMPP Ping. The browser SDK pings the server domain every 5 s and reconnects after three
// unanswered pings (protocol spec §7.4); the answer is an empty result with the same id.
import { NS } from '../../../shared/stanza';
import type { XmppModule } from '../router';

export const ping: XmppModule = ({ router, host }) => {
  host.features.add(NS.ping);
  host.on(`iq-get/host/${NS.ping}:ping`, router.acknowledge);
  host.on(`iq-get/self/${NS.ping}:ping`, router.acknowledge);
};
