// XMPP namespaces and the QuickBlox message conventions (extraParams, attachments) used by both
// the local server and the client. QuickBlox puts custom parameters as `<extraParams>` children
// with one text node each, and attachments as `<attachment …attributes/>` (protocol spec §7.5).
import { xml, type Element } from '@xmpp/xml';
import type { QBAttachment } from './models';
import type { StanzaKind } from './protocol';
import { kindOf } from './stanzaText';

export const NS = {
  client: 'jabber:client',
  stream: 'http://etherx.jabber.org/streams',
  framing: 'urn:ietf:params:xml:ns:xmpp-framing',
  streams: 'urn:ietf:params:xml:ns:xmpp-streams',
  stanzas: 'urn:ietf:params:xml:ns:xmpp-stanzas',
  sasl: 'urn:ietf:params:xml:ns:xmpp-sasl',
  bind: 'urn:ietf:params:xml:ns:xmpp-bind',
  session: 'urn:ietf:params:xml:ns:xmpp-session',
  tls: 'urn:ietf:params:xml:ns:xmpp-tls',
  roster: 'jabber:iq:roster',
  ping: 'urn:xmpp:ping',
  carbons: 'urn:xmpp:carbons:2',
  markers: 'urn:xmpp:chat-markers:0',
  chatStates: 'http://jabber.org/protocol/chatstates',
  delay: 'urn:xmpp:delay',
  discoInfo: 'http://jabber.org/protocol/disco#info',
  discoItems: 'http://jabber.org/protocol/disco#items',
  muc: 'http://jabber.org/protocol/muc',
  mucUser: 'http://jabber.org/protocol/muc#user',
  sm: 'urn:xmpp:sm:3',
  correction: 'urn:xmpp:message-correct:0',
} as const;

export interface ExtraParams {
  /** Scalar parameters, values as the wire carries them (strings). */
  params: Record<string, string>;
  attachments: QBAttachment[];
}

/** Reads `<extraParams>` the way the SDK does: text-only children become params, `<attachment>`s attachments. */
export function readExtraParams(message: Element): ExtraParams {
  const result: ExtraParams = { params: {}, attachments: [] };
  const extra = message.getChild('extraParams');
  if (!extra) return result;
  for (const child of extra.getChildElements()) {
    if (child.name === 'attachment') {
      const attachment: QBAttachment = { type: child.attrs.type ?? 'file' };
      for (const [k, v] of Object.entries(child.attrs)) {
        if (k !== 'xmlns') attachment[k] = k === 'size' && /^\d+$/.test(v) ? Number(v) : v;
      }
      result.attachments.push(attachment);
    } else if (child.children.every((c) => typeof c === 'string')) {
      result.params[child.name] = child.getText();
    }
  }
  return result;
}

export function extraParamsElement(params: Record<string, string | number>, attachments: QBAttachment[] = []): Element {
  const extra = xml('extraParams', { xmlns: NS.client });
  for (const [k, v] of Object.entries(params)) extra.append(xml(k, {}, String(v)));
  for (const a of attachments) {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(a)) if (v !== undefined && v !== null && typeof v !== 'object') attrs[k] = String(v);
    extra.append(xml('attachment', attrs));
  }
  return extra;
}

/** Sets (or replaces) one scalar extraParams child, creating `<extraParams>` when missing. */
export function setExtraParam(message: Element, name: string, value: string | number): void {
  let extra = message.getChild('extraParams');
  if (!extra) {
    extra = xml('extraParams', { xmlns: NS.client });
    message.append(extra);
  }
  const existing = extra.getChild(name);
  if (existing) extra.remove(existing);
  extra.append(xml(name, {}, String(value)));
}

/** A deep copy, parent detached. ltx 3 has no `Element#clone` (whatever src/types/xmpp.d.ts declares). */
export function cloneElement(element: Element): Element {
  const copy = xml(element.name, { ...element.attrs });
  for (const child of element.children) copy.append(typeof child === 'string' ? child : cloneElement(child));
  return copy;
}

export function stanzaKind(element: Element): StanzaKind {
  return kindOf(element.name, element.attrs.xmlns);
}
