// XEP-0352 Client State Indication: a client that says it is <inactive/> (a hidden browser tab, a
// phone in a pocket) does not need every presence change or typing notification at once. While
// inactive, its session holds those back, keeping only the latest per sender and kind, and flushes
// them when it becomes <active/> again. Messages with content still go through immediately.
import { xml, type Element } from '@xmpp/xml';
import type { NonzaHandler, NonzaModuleContext, OutboundFilter, SessionLink } from '../stream';

export const NS_CSI = 'urn:xmpp:csi:0';
const NS_CHAT_STATES = 'http://jabber.org/protocol/chatstates';

/** What may wait, as a key that a newer stanza of the same kind from the same sender replaces; else undefined. */
export function deferrableKey(stanza: Element): string | undefined {
  const from = stanza.attrs.from ?? '';
  const type = stanza.attrs.type;
  // Availability only: subscription requests and errors matter now.
  if (stanza.name === 'presence') return type === undefined || type === 'unavailable' ? `presence ${from}` : undefined;
  if (stanza.name !== 'message' || type === 'error' || type === 'groupchat') return undefined;
  // A standalone chat state: no body and nothing else a client would act on.
  const children = stanza.getChildElements();
  if (children.length === 0 || !children.every((child) => child.getNS() === NS_CHAT_STATES)) return undefined;
  return `chatstate ${from}`;
}

export class CsiFilter implements OutboundFilter {
  private inactive = false;
  /** Insertion-ordered, so the flush keeps the order of the latest stanza of each key. */
  private readonly held = new Map<string, Element>();

  constructor(
    private readonly link: SessionLink,
    private readonly maxHeld: number,
  ) {}

  hold(stanza: Element): boolean {
    if (!this.inactive) return false;
    const key = deferrableKey(stanza);
    if (key === undefined) return false;
    this.held.delete(key);
    this.held.set(key, stanza);
    // A bounded buffer: past it, the client gets what was held rather than the server growing.
    if (this.held.size > this.maxHeld) this.flush();
    return true;
  }

  setActive(active: boolean): void {
    this.inactive = !active;
    if (active) this.flush();
  }

  private flush(): void {
    const pending = [...this.held.values()];
    this.held.clear();
    for (const stanza of pending) this.link.stream.deliver(stanza, true);
  }
}

export function clientStateIndication(ctx: NonzaModuleContext): NonzaHandler {
  return {
    xmlns: NS_CSI,
    feature: xml('csi', { xmlns: NS_CSI }),
    handle(stream, element) {
      if (element.name !== 'active' && element.name !== 'inactive') {
        return stream.fail('unsupported-stanza-type', `<${element.name}/> is not part of XEP-0352`);
      }
      const link = stream.sessionLink;
      // XEP-0352 §5: a client states its state for a bound resource.
      if (!link) return stream.fail('not-authorized', 'Bind a resource first');
      const filter = link.filter instanceof CsiFilter ? link.filter : new CsiFilter(link, ctx.limits.csiMaxHeld);
      link.filter = filter;
      filter.setActive(element.name === 'active');
    },
  };
}

