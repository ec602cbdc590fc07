// XEP-0030 Service Discovery, info on the server domain: the features other modules registered on
// the host, so the list never claims a XEP that is not loaded.
import { xml, type Element } from '@xmpp/xml';
import { NS } from '../../../shared/stanza';
import type { XmppModule } from '../router';

export const disco: XmppModule = ({ router, host }) => {
  host.features.add(NS.discoInfo);
  host.on(`iq-get/host/${NS.discoInfo}:query`, (ctx) => {
    // Nodes (XEP-0030 §3.2) are not served.
    if (ctx.stanza.getChild('query', NS.discoInfo)?.attrs.node) {
      router.fail(ctx, 'item-not-found');
      return true;
    }
    router.reply(ctx, discoInfo(xml('identity', { category: 'server', type: 'im', name: 'QuickBlox Chat Workbench' }), host.features));
    return true;
  });
};

/** A disco#info result: the identity and the features, sorted; shared with the MUC service and its rooms. */
export function discoInfo(identity: Element, features: Iterable<string>): Element {
  return xml('query', { xmlns: NS.discoInfo }, identity, ...[...features].sort().map((feature) => xml('feature', { var: feature })));
}
